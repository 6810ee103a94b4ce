// The real AWS SDK for Go v2 (Debian's golang-github-aws-aws-sdk-go-v2-dev, config 1.17.10) as an
// oracle: one long-lived worker that runs config.LoadDefaultConfig (the default chain every Go
// client without explicit credentials uses) in a world's environment, one JSON line per world:
//   in:  { id, env, endpoints: { sts, sso, ssoOidc? } }
//   out: { id, accessKeyId } | { id, error } | { id, refused: [...] }
// config 1.17 ignores AWS_ENDPOINT_URL_STS / _SSO, so the worker gives LoadDefaultConfig an
// endpoint resolver that points STS and SSO at the world.
//
// It runs ONLY inside a loopback-only network namespace (`unshare -n`): the SDK asks
// 169.254.169.254 when no endpoint is set. It refuses to start anywhere else, and every HTTP
// client it hands the SDK refuses a connection to a non-loopback address besides.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials/endpointcreds"
)

// set at build time: -ldflags "-X main.configVersion=1.17.10"
var configVersion = "unknown"

type request struct {
	ID        int               `json:"id"`
	Env       map[string]string `json:"env"`
	Endpoints struct {
		STS     string `json:"sts"`
		SSO     string `json:"sso"`
		SSOOIDC string `json:"ssoOidc"`
	} `json:"endpoints"`
}

type answer struct {
	ID          int      `json:"id"`
	AccessKeyID string   `json:"accessKeyId,omitempty"`
	Error       string   `json:"error,omitempty"`
	Refused     []string `json:"refused,omitempty"`
}

var (
	refusedMu sync.Mutex
	refused   []string
)

func interfaces() []string {
	data, err := os.ReadFile("/proc/self/net/dev")
	if err != nil {
		return []string{"(unreadable: " + err.Error() + ")"}
	}
	var names []string
	for i, line := range strings.Split(string(data), "\n") {
		if i < 2 || !strings.Contains(line, ":") {
			continue
		}
		names = append(names, strings.TrimSpace(strings.SplitN(line, ":", 2)[0]))
	}
	return names
}

// guardedClient refuses, and records, any connection to an address that is not loopback: the
// decision is made on the address actually dialled, after name resolution.
func guardedClient() *http.Client {
	dialer := &net.Dialer{
		Timeout: 5 * time.Second,
		Control: func(network, address string, _ syscall.RawConn) error {
			host, _, err := net.SplitHostPort(address)
			if err == nil {
				if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
					return nil
				}
			}
			refusedMu.Lock()
			refused = append(refused, address)
			refusedMu.Unlock()
			return fmt.Errorf("go oracle: refused a connection to %s", address)
		},
	}
	transport := &http.Transport{DialContext: dialer.DialContext, DisableKeepAlives: true}
	return &http.Client{Transport: transport, Timeout: 15 * time.Second}
}

func resolve(req request) answer {
	out := answer{ID: req.ID}
	path := os.Getenv("PATH")
	os.Clearenv()
	// credential_process runs `sh -c`, found on PATH, as in any shell the world's program would start from
	os.Setenv("PATH", path)
	for k, v := range req.Env {
		os.Setenv(k, v)
	}
	// a Go program computes the default shared-file paths from HOME once, at start: as if started in this world
	config.DefaultSharedConfigFiles = []string{config.DefaultSharedConfigFilename()}
	config.DefaultSharedCredentialsFiles = []string{config.DefaultSharedCredentialsFilename()}
	client := guardedClient()
	endpoints := aws.EndpointResolverWithOptionsFunc(func(service, region string, _ ...interface{}) (aws.Endpoint, error) {
		switch service {
		case "STS":
			return aws.Endpoint{URL: req.Endpoints.STS, SigningRegion: region, HostnameImmutable: true}, nil
		case "SSO":
			return aws.Endpoint{URL: req.Endpoints.SSO, SigningRegion: region, HostnameImmutable: true}, nil
		case "SSO OIDC":
			url := req.Endpoints.SSOOIDC
			if url == "" {
				url = req.Endpoints.SSO
			}
			return aws.Endpoint{URL: url, SigningRegion: region, HostnameImmutable: true}, nil
		}
		return aws.Endpoint{}, &aws.EndpointNotFoundError{Err: errors.New("go oracle: no world endpoint for " + service)}
	})
	before := len(refused)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cfg, err := config.LoadDefaultConfig(ctx,
		config.WithHTTPClient(client),
		config.WithEndpointResolverWithOptions(endpoints),
		config.WithEndpointCredentialOptions(func(o *endpointcreds.Options) { o.HTTPClient = client }),
	)
	if err == nil {
		if cfg.Credentials == nil {
			err = errors.New("no credentials provider")
		} else {
			var creds aws.Credentials
			creds, err = cfg.Credentials.Retrieve(ctx)
			if err == nil {
				out.AccessKeyID = creds.AccessKeyID
			}
		}
	}
	if err != nil {
		message := strings.SplitN(err.Error(), "\n", 2)[0]
		out.Error = message
	}
	refusedMu.Lock()
	if len(refused) > before {
		out.Refused = append([]string(nil), refused[before:]...)
	}
	refusedMu.Unlock()
	return out
}

func main() {
	stdout := json.NewEncoder(os.Stdout)
	if links := interfaces(); len(links) != 1 || links[0] != "lo" {
		stdout.Encode(map[string]interface{}{"ready": false, "refused": "not a loopback-only network namespace (interfaces: " + strings.Join(links, ", ") + "); run it under unshare -n"})
		os.Exit(2)
	}
	stdout.Encode(map[string]interface{}{"ready": true, "sdk": configVersion, "go": strings.TrimPrefix(runtimeVersion(), "go")})
	scanner := bufio.NewScanner(os.Stdin)
	scanner.Buffer(make([]byte, 1<<20), 16<<20)
	for scanner.Scan() {
		line := strings.TrimSpace(scanner.Text())
		if line == "" {
			continue
		}
		var req request
		if err := json.Unmarshal([]byte(line), &req); err != nil {
			stdout.Encode(answer{Error: "bad request line: " + err.Error()})
			continue
		}
		stdout.Encode(resolve(req))
	}
}
