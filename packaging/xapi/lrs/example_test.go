package lrs_test

import (
	"context"
	"fmt"
	"log"

	"github.com/metaacademy/ota/packaging/xapi"
	"github.com/metaacademy/ota/packaging/xapi/lrs"
)

func ExampleClient() {
	// An in-process LRS stands in for a real one here; use your LRS's xAPI
	// base URL, such as "https://lrs.example.org/xAPI/".
	double := startLRSDouble()
	defer double.close()

	client, err := lrs.New(double.endpoint(),
		lrs.WithBasicAuth("key", "secret"),
		lrs.WithBatchSize(50))
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()

	learner := xapi.AccountAgent("Ana Pereira", "https://lms.example.org/", "learner-20931")
	completed := &xapi.Verb{ID: "http://adlnet.gov/expapi/verbs/completed", Display: xapi.LanguageMap{"en": "completed"}}
	var statements []*xapi.Statement
	for _, lesson := range []string{"sampling-basics", "weighting", "variance-estimation"} {
		statements = append(statements, &xapi.Statement{
			Actor: learner,
			Verb:  completed,
			Object: xapi.Object{Activity: &xapi.Activity{
				ID:         "https://example.org/assets/" + lesson,
				Definition: &xapi.ActivityDefinition{Name: xapi.LanguageMap{"en": lesson}},
			}},
		})
	}
	// Statements are validated (xAPI 1.0.3 unless WithVersion says 2.0.0)
	// and get ids before they are sent, so a retried POST is safe.
	ids, err := client.PostStatements(ctx, statements)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("stored", len(ids), "statements")

	// Query follows the LRS's "more" links: two statements per page here.
	query := lrs.StatementQuery{Agent: learner, Verb: completed.ID, Limit: 2, Ascending: true}
	for s, err := range client.Query(ctx, query) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(s.Actor.Name, s.Verb.Display["en"], s.Object.Activity.Definition.Name["en"])
	}
	// Output:
	// stored 3 statements
	// Ana Pereira completed sampling-basics
	// Ana Pereira completed weighting
	// Ana Pereira completed variance-estimation
}
