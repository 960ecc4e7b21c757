package cli

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"strings"

	"beacon/app"
	"beacon/app/auth"
)

// user handles "beacon user create".
func user(ctx context.Context, env Env, args []string) error {
	if len(args) == 0 || args[0] != "create" {
		return errors.New("usage: beacon user create --email E --role R [--name N] [--password-stdin]")
	}
	fset := flag.NewFlagSet("beacon user create", flag.ContinueOnError)
	fset.SetOutput(env.Stderr)
	email := fset.String("email", "", "email address of the account")
	role := fset.String("role", app.RoleLearner, "role(s), comma-separated")
	name := fset.String("name", "", "display name (default: the part of the email before @)")
	fromStdin := fset.Bool("password-stdin", false, "read the password from standard input (first line)")
	// Configuration flags are accepted after the command's own flags.
	own, rest := splitFlags(args[1:], map[string]bool{"email": true, "role": true, "name": true, "password-stdin": true})
	if err := fset.Parse(own); err != nil {
		return err
	}
	cfg, _, err := loadConfig(env, "user create", rest)
	if err != nil {
		return err
	}
	if *email == "" || !strings.Contains(*email, "@") {
		return errors.New("--email must be an email address")
	}
	var roles []string
	for _, r := range strings.Split(*role, ",") {
		r = strings.TrimSpace(r)
		if !app.ValidRole(r) {
			return fmt.Errorf("unknown role %q (roles: %s)", r, strings.Join(app.Roles, ", "))
		}
		roles = append(roles, r)
	}
	password := ""
	if *fromStdin {
		line, err := bufio.NewReader(env.Stdin).ReadString('\n')
		if err != nil && line == "" {
			return fmt.Errorf("read password from stdin: %w", err)
		}
		password = strings.TrimRight(line, "\r\n")
	} else {
		password = app.NewToken()[:20]
	}
	if err := auth.CheckPasswordFor(password, *email); err != nil {
		// The operator reads the catalog's text in the site's language.
		msg := app.ErrorMessageID(err)
		if bundle, berr := loadBundle(env, cfg); berr == nil {
			msg = bundle.Localizer(cfg.DefaultLocale).T(msg, map[string]any{"Min": auth.MinLength})
		}
		return fmt.Errorf("refused password: %s", msg)
	}
	display := *name
	if display == "" {
		display = strings.SplitN(*email, "@", 2)[0]
	}
	hash, err := auth.HashPassword(password)
	if err != nil {
		return err
	}
	st, err := openStore(ctx, env, cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	u := &app.User{Email: *email, DisplayName: display, PasswordHash: hash, Roles: roles, Locale: cfg.DefaultLocale}
	if err := st.CreateUser(ctx, u); err != nil {
		if app.ErrorCode(err) == app.ECONFLICT {
			return fmt.Errorf("an account with email %s already exists", *email)
		}
		return err
	}
	fmt.Fprintf(env.Stdout, "created user %s (id %d, roles %s)\n", u.Email, u.ID, strings.Join(roles, ","))
	if !*fromStdin {
		fmt.Fprintf(env.Stdout, "generated password: %s\n", password)
	}
	return nil
}

// splitFlags separates the flags named in own (with their values) from the rest.
func splitFlags(args []string, own map[string]bool) (mine, rest []string) {
	for i := 0; i < len(args); i++ {
		a := args[i]
		name := strings.TrimLeft(a, "-")
		name, _, hasValue := strings.Cut(name, "=")
		if strings.HasPrefix(a, "-") && own[name] {
			mine = append(mine, a)
			if !hasValue && name != "password-stdin" && i+1 < len(args) {
				mine = append(mine, args[i+1])
				i++
			}
			continue
		}
		rest = append(rest, a)
	}
	return mine, rest
}
