package store_test

import (
	"fmt"

	"github.com/metaacademy/ota/platform/store"
)

func ExampleParseQuery() {
	terms, filters, err := store.ParseQuery(`"seasonal adjustment" JDemetra+ -beginners lang:fr node:gsbpm/5.3`, store.Filters{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, t := range terms {
		fmt.Println(t)
	}
	fmt.Println(filters.Language, filters.Framework, filters.Node)
	// Output:
	// "seasonal adjustment"
	// jdemetra
	// -beginners
	// fr gsbpm 5.3
}

func ExampleFold() {
	fmt.Println(store.Fold("Désaisonnalisation — X-13ARIMA-SEATS"))
	// Output: desaisonnalisation x 13arima seats
}
