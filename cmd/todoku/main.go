// Command todoku is a self-hosted parcel tracker for Japanese carriers: it
// watches Yamato, Sagawa, Japan Post and Amazon deliveries and pushes a
// notification, with the number to call, when a delivery fails.
//
// Run `todoku help` for the commands.
package main

import (
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "0.1.0-dev"

// command is one subcommand.
type command struct {
	run     func(args []string, stdout, stderr io.Writer) int
	summary string
}

func commands() map[string]command {
	return map[string]command{
		"run":         {cmdRun, "run the daemon (systemd Type=notify): todoku run [--config FILE]"},
		"check":       {cmdCheck, "validate a config file without touching the database: todoku check [--no-secrets] [CONFIG]"},
		"identify":    {cmdIdentify, "say which carriers a number or pasted text belongs to: todoku identify [--json] TEXT..."},
		"mail":        {cmdMail, "show the tracking numbers in shipping e-mails, adding nothing: todoku mail [--json] FILE.eml... | --imap --dry-run"},
		"doctor":      {cmdDoctor, "check that every carrier can be reached and read: todoku doctor [--carrier NAME] [--record DIR]"},
		"track":       {cmdTrack, "look numbers up live once: todoku track [--carrier NAME] [--json] [--record DIR] NUMBER..."},
		"parse":       {cmdParse, "parse saved result pages offline: todoku parse --carrier NAME [--json] FILE..."},
		"add":         {cmdAdd, "add a parcel to the config file: todoku add NUMBER [--label TEXT] [--carrier NAME]"},
		"remove":      {cmdRemove, "remove a parcel (from the config file, or one added from a mail or the status page): todoku remove NUMBER"},
		"passwd":      {cmdPasswd, "print the hash line of a status page password for api.password_hash: todoku passwd < FILE"},
		"list":        {cmdList, "list parcels and their state: todoku list [--json]"},
		"show":        {cmdShow, "show one parcel with its history and the number to call: todoku show [--json] NUMBER"},
		"resume":      {cmdResume, "check a paused carrier again at once (through the running daemon): todoku resume CARRIER"},
		"backup":      {cmdBackup, "write a consistent copy of the database: todoku backup FILE"},
		"repair":      {cmdRepair, "copy what is readable of a damaged database into a new file: todoku repair DAMAGED.db NEW.db"},
		"notify-test": {cmdNotifyTest, "send (or print) a sample delivery-failed notification: todoku notify-test [--dry-run]"},
		"whois":       {cmdWhois, "say who a phone number that called you belongs to: todoku whois PHONE"},
		"demo":        {cmdDemo, "run the engine against the built-in fake carrier with a fast clock: todoku demo [--json] [--config FILE]"},
		"version":     {cmdVersion, "print the version"},
	}
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		usage(stderr)
		return 2
	}
	name, rest := args[0], args[1:]
	switch name {
	case "help", "-h", "--help":
		usage(stdout)
		return 0
	}
	c, ok := commands()[name]
	if !ok {
		fmt.Fprintf(stderr, "todoku: unknown command %q\n\n", name)
		usage(stderr)
		return 2
	}
	return c.run(rest, stdout, stderr)
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "todoku — parcel tracking for Japanese carriers, with a push when a delivery fails")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Usage: todoku <command> [arguments]")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Commands:")
	cmds := commands()
	names := make([]string, 0, len(cmds))
	for n := range cmds {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-12s %s\n", n, cmds[n].summary)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Most commands take --config FILE (default: $TODOKU_CONFIG, $CONFIGURATION_DIRECTORY/config.yaml, /etc/todoku/config.yaml).")
}

func cmdVersion(args []string, stdout, stderr io.Writer) int {
	fmt.Fprintln(stdout, "todoku", version)
	return 0
}

// joinArgs renders arguments for messages.
func joinArgs(a []string) string { return strings.Join(a, " ") }
