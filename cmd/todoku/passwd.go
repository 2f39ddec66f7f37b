package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/todoku/todoku/internal/passwd"
)

// cmdPasswd reads a password (the first line of standard input) and
// prints its hash line for api.password_hash. Exit status: 0 printed, 1
// failed, 2 usage.
func cmdPasswd(args []string, stdout, stderr io.Writer) int {
	return passwdFrom(os.Stdin, args, stdout, stderr)
}

// minPassword is the shortest password accepted for a page reachable from
// other machines.
const minPassword = 10

func passwdFrom(stdin io.Reader, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("passwd", flag.ContinueOnError)
	fs.SetOutput(stderr)
	iter := fs.Int("iterations", passwd.DefaultIterations, "PBKDF2-HMAC-SHA256 iterations")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: todoku passwd [--iterations N] < password-file")
		fmt.Fprintln(stderr, "Reads the password from the first line of standard input (so it stays out of the shell")
		fmt.Fprintf(stderr, "history and the process list), e.g.  read -rs PW && printf '%%s\\n' \"$PW\" | todoku passwd\n")
		fmt.Fprintln(stderr, "and prints the line to put in api.password_hash (or a password_hash_file).")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 {
		if err == nil {
			fs.Usage()
		}
		return 2
	}
	line, err := bufio.NewReader(io.LimitReader(stdin, 4096)).ReadString('\n')
	if err != nil && err != io.EOF {
		fmt.Fprintf(stderr, "todoku passwd: read: %v\n", err)
		return 1
	}
	pw := strings.TrimRight(line, "\r\n")
	if len([]rune(pw)) < minPassword {
		fmt.Fprintf(stderr, "todoku passwd: the password needs at least %d characters\n", minPassword)
		return 1
	}
	h, err := passwd.New(pw, *iter)
	if err != nil {
		fmt.Fprintf(stderr, "todoku passwd: %v\n", err)
		return 1
	}
	fmt.Fprintln(stdout, h)
	return 0
}
