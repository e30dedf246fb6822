// Command ota validates, inspects and converts OTA (Open Training Asset)
// documents. Run "ota help" for its commands; its exit codes and output
// lines are a contract scripts rely on (see the README).
package main

import (
	"os"

	"github.com/metaacademy/ota/internal/cli"
)

func main() { os.Exit(cli.Main()) }
