/** The help texts: what each command does, its options, and the exit codes. */

export const EXIT_CODES_TEXT = `Exit codes:
  0  ok
  1  an expectation failed: doctor --expect or --whoami, explain's "expect" does not match
  2  usage or input error: unknown command or option, missing or invalid scenario file, port in use`

export const TOP_HELP = `chainproof — which source the AWS SDK for JavaScript v3 resolves credentials from, and why

Usage: chainproof <command> [options]

Commands:
  doctor              inspect this machine's credential chain: winner, shadowed sources, each link's reason, hints
  explain <file>      the chain report of a scenario file, touching nothing of this machine
  capture             write a scenario file (no secrets) that reproduces this machine's credential set-up
  serve [file]        run a world's loopback IMDS, container, STS, SSO and gate servers for services in any language
  exec [file] -- cmd  run a command inside a world (its full environment), e.g. the AWS CLI or a service

Run \`chainproof <command> --help\` for a command's options.

${EXIT_CODES_TEXT}

Colour only on a terminal; NO_COLOR or --no-color turns it off, FORCE_COLOR=1 turns it on.
No secret key or session token is ever printed; access key ids are masked to their last 4 characters.`

export const DOCTOR_HELP = `Usage: chainproof doctor [options]

Inspects this machine the way the AWS SDK for JavaScript v3 default chain would: the AWS_*
variables that are set (names only), the shared files (AWS_SHARED_CREDENTIALS_FILE,
AWS_CONFIG_FILE, HOME), the active profile and its kind, web identity, container and IMDS
settings. Prints the chain report — the winner, the sources it shadows, each link's reason —
and hints. Nothing is sent over the network unless you ask for it.

Options:
  --probe             ask the container endpoint (when its variables are set) and the instance
                      metadata service (unless AWS_EC2_METADATA_DISABLED) for their role names:
                      one request per step, 300 ms timeout, no retries; IMDS is found through
                      AWS_EC2_METADATA_SERVICE_ENDPOINT, else 169.254.169.254
  --whoami            resolve credentials with the real default chain (fromNodeProviderChain) and
                      call STS GetCallerIdentity (honours AWS_ENDPOINT_URL_STS): account and ARN
  --expect <source>   exit 1 unless the winner is <source>: env, sso, profile, process,
                      webIdentity, container, instanceProfile (or an alias), or none
  --sdk <name|all>    another SDK's chain (js-v3, js-v3@<3.616, js-v2, ruby-v3, java-v1, java-v2,
                      php-v3, botocore, aws-cli-v2, go-v2, go-v2@1.17), or all: a side-by-side table of what each SDK
                      would pick here, with the disagreements flagged; several joined by commas
                      (js-v2,js-v3) compare just those — a migration check
  --json              print one JSON object (same as --format json)
  --format <format>   text (default), markdown (a table for a PR comment or CI summary), json
  --no-color          no colours (also NO_COLOR)
  -h, --help          this help

Examples:
  chainproof doctor --probe
  chainproof doctor --sdk all                    # would Python or Java on this host pick the same?
  chainproof doctor --sdk js-v2,js-v3            # does migrating from SDK v2 change the credentials?
  chainproof doctor --expect instanceProfile     # pre-flight check in a deploy script
  chainproof doctor --format markdown >> "$GITHUB_STEP_SUMMARY"

${EXIT_CODES_TEXT}`

export const EXPLAIN_HELP = `Usage: chainproof explain <scenario.json> [options]

The chain report of a scenario file (a WorldSpec and what it should resolve to), from the
static model of the JS v3 chain: the world's files are written to a temporary directory, read
back and removed; nothing of this machine is read and no endpoint is contacted. The report is
compared with the scenario's "expect" (source, shadowed, profile or fails); role and principal
are checked only by running the scenario in a test (loadScenario + createCredentialWorld).

Options:
  --no-check          print the report only: exit 0 even when it differs from "expect"
  --sdk <list|all>    also the scenario's world in other SDKs, side by side: several joined by
                      commas (js-v2,js-v3: a migration check) or all; each disagreement names
                      the rule behind it. "expect" is still checked against the JS v3 report
  --json              print one JSON object (same as --format json)
  --format <format>   text (default), markdown, json
  --no-color          no colours (also NO_COLOR)
  -h, --help          this help

${EXIT_CODES_TEXT}`

export const CAPTURE_HELP = `Usage: chainproof capture [options]

Writes a scenario file that describes this machine's credential set-up without any secret:
user names become placeholders ("captured-user"), keys and tokens are never written; profile
structure, role ARNs, SSO roles, which variables are set and — with --probe — the IMDS role and
the container role are kept. Its "expect" holds doctor's winner and shadowed list, so
\`chainproof explain <file>\` gives doctor's verdict and loadScenario() replays the set-up in a
test.

Options:
  -o, --output <file> write the scenario to a file (default: stdout)
  --probe             ask the container endpoint and IMDS for their roles, as doctor --probe
  -h, --help          this help

${EXIT_CODES_TEXT}`

export const SERVE_HELP = `Usage: chainproof serve [scenario.json] [options]

Runs a world's loopback servers as a standalone process, for services written in any language:
the instance metadata service, the container credentials endpoint, STS, the SSO portal and the
service gate, plus a small control server. The first lines on stdout give what a service needs;
each request is logged on stderr; SIGINT or SIGTERM stops it cleanly (exit 0). To run one
command inside a world, \`chainproof exec\` is simpler.

Options:
  --spec '<json>'     a WorldSpec given inline, instead of a scenario file (default: an empty world)
  --host <ip>         the address every server listens on (default 127.0.0.1; loopback only,
                      unless --allow-non-loopback)
  --allow-non-loopback
                      let --host be 0.0.0.0, :: or another non-loopback address. DANGEROUS: other
                      machines can then ask the world's IMDS, container endpoint, STS and SSO
                      portal (the control server still needs its token). For a world in a
                      container reached through published ports.
  --port-base <n>     fixed ports: imds n, container n+1, sts n+2, sso n+3, gate n+4, control n+5, signin n+6
                      (default: a random free port for each)
  --format <format>   env (default): "export NAME='value'" lines to source in a POSIX shell;
                      secrets are read from files in the world's sandbox as it is sourced
                      dotenv: NAME=value lines; json: one line
                      {"env":{…},"endpoints":{…},"control":"…","token":"…","withheld":[…]};
                      both leave out every variable of a group with a secret in it (the env
                      keys, the container endpoint and its token), so no tool sees partial credentials
  --log <log>         text (default) or json (one JSON object per recorded request), on stderr; none
  -h, --help          this help

Control server (GET, with "Authorization: Bearer $CHAINPROOF_CONTROL_TOKEN"): /healthz → ok,
/env → the world's full env as JSON, /requests → the recorded requests as a JSON array,
/explain → {sdk, winner, shadowed, links, hints, text}. Its token is made per run and printed
(CHAINPROOF_CONTROL_TOKEN), or taken from CHAINPROOF_CONTROL_TOKEN in serve's environment
and then never printed. Without it: 401. A Host that is not localhost or a loopback address:
421. A request from a web page (an Origin header): 403.

Secrets (AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_CONTAINER_AUTHORIZATION_TOKEN, a URL's
user and password) are never printed.

${EXIT_CODES_TEXT}`

export const EXEC_HELP = `Usage: chainproof exec [scenario.json | --spec '<json>'] [options] -- <command> [args…]

Runs a command inside a world, the way aws-vault exec runs one with a profile: the world's
loopback IMDS, container endpoint, STS, SSO portal and service gate run in this process, and
the command gets the world's full environment (its HOME, endpoints and credentials, secrets
included, handed to the command only and never printed) in place of this machine's AWS_*
variables and HOME. Signals are passed on; chainproof exits with the command's exit code.
Everything chainproof says goes to stderr.

Options:
  --spec '<json>'     a WorldSpec given inline, instead of a scenario file (default: an empty world)
  --expect <source>   exit 1 unless every signed request the command made (to the world's gate
                      or STS; the STS calls that fetched its credentials aside) was signed by
                      <source>, and it made at least one: env, sso, profile, process,
                      webIdentity, container, instanceProfile, login (or an alias)
  --report            after the command ends, print the chain report (js-v3) and the requests
                      the world received, on stderr
  --format <format>   text (default) or json: --report and --expect as one JSON object on stderr
  --isolate           run the servers and the command inside a fresh network namespace with
                      only loopback up (Linux: unshare -n as root, unshare -r -n otherwise),
                      so nothing can leave the machine; refuses, with the reason, where no
                      namespace can be made (and on macOS and Windows)
  --no-color          no colours (also NO_COLOR)
  -h, --help          this help

Examples:
  chainproof exec --spec '{"instanceProfile":{"role":"web"}}' -- aws sts get-caller-identity --endpoint-url "$AWS_ENDPOINT_URL_STS"
  chainproof exec scenario.json --expect instanceProfile --isolate -- node app.js
  chainproof exec --spec '{"env":{"user":"ci"},"instanceProfile":{"role":"web"}}' --report -- aws configure list

Exit codes: the command's (128 + n when a signal n ended it; 127 command not found, 126 not
runnable), except 1 when --expect fails and 2 for a usage or input error (nothing is run).`
