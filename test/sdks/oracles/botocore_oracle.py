#!/usr/bin/python3
"""
chainproof's oracle for the real botocore (Debian's python3-botocore) and the real AWS CLI v2
(Debian's awscli, which vendors its own botocore as awscli.botocore).

One long-lived worker: it imports botocore and the CLI once, then reads one JSON request per
line on stdin and answers one JSON line on stdout, so 512 worlds cost one interpreter start.
Each request is evaluated in a forked child (a fresh process image with nothing cached from the
world before) with os.environ replaced by the world's variables.

  usage:    botocore_oracle.py botocore|cli      (one mode per worker; see MODE below)
  request:  {"id": 1, "env": {...the world's variables...}}
  answer:   {"id": 1, "method": "env", "accessKeyId": "AKIA…"}            (botocore)
            {"id": 1, "type": "env", "accessKeyId": "****…ABCD"}          (cli: aws configure list)
            {"id": 1, "error": "ProfileNotFound: …"}
            {"id": 1, "refused": "…"}   the request would have left loopback: nothing was run

Loopback only. The worker refuses to start outside a loopback-only network namespace
(`unshare -n`; CI runs the suites in one), and inside it enforces three more things:
  1. every endpoint variable the chain may use must point at 127.0.0.1 / localhost, and
     AWS_EC2_METADATA_SERVICE_ENDPOINT must be set unless IMDS is disabled (botocore 1.29 would
     otherwise ask 169.254.169.254); AWS_CONTAINER_CREDENTIALS_RELATIVE_URI is refused outright;
  2. botocore 1.29 / CLI 2.9 do not read AWS_ENDPOINT_URL_STS or AWS_ENDPOINT_URL_SSO (that came
     with botocore 1.31 / CLI 2.13), so Session.create_client is wrapped to pass the world's
     loopback endpoint_url for sts, sso and sso-oidc, and to refuse any other service;
  3. socket.getaddrinfo and socket.connect refuse any address that is not loopback, and each
     refusal is reported (the test fails on any).
No secret is ever printed: botocore's access key id (an id, not a secret) is returned so the test
can name the credentials through the world's ledger; the CLI's is already masked by the CLI.
"""
import contextlib
import io
import ipaddress
import json
import os
import socket
import sys
import traceback
from urllib.parse import urlparse

LOOPBACK_NAMES = {'localhost', '127.0.0.1', '::1'}


# -- 0. only inside a loopback-only network namespace (unshare -n): refuse to start elsewhere ---
def namespace_interfaces():
    """The interfaces of this process's network namespace (/proc/self/net/dev, not /sys)."""
    with open('/proc/self/net/dev') as dev:
        return [line.split(':')[0].strip() for line in dev.readlines()[2:] if line.strip()]


try:
    _links = namespace_interfaces()
except OSError as error:
    _links = ['(unreadable: %s)' % error]
if _links != ['lo']:
    print(json.dumps({'ready': False, 'refused': 'not a loopback-only network namespace (interfaces: %s); run it under unshare -n' % ', '.join(_links)}), flush=True)
    sys.exit(2)


def is_loopback_host(host):
    if host is None:
        return False
    host = host.strip('[]')
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


# -- 3. the socket guard (installed before botocore is imported) ------------------------------
refused_connections = []
_real_getaddrinfo = socket.getaddrinfo
_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex


def _guarded_getaddrinfo(host, *args, **kwargs):
    if isinstance(host, bytes):
        host = host.decode()
    if host is not None and not is_loopback_host(host):
        refused_connections.append(f'getaddrinfo {host}')
        raise OSError(f'chainproof oracle: refused to resolve {host} (loopback only)')
    return _real_getaddrinfo(host, *args, **kwargs)


def _check_address(address):
    if isinstance(address, tuple) and not is_loopback_host(str(address[0])):
        refused_connections.append(f'connect {address[0]}:{address[1]}')
        raise OSError(f'chainproof oracle: refused a connection to {address[0]} (loopback only)')


def _guarded_connect(self, address):
    _check_address(address)
    return _real_connect(self, address)


def _guarded_connect_ex(self, address):
    _check_address(address)
    return _real_connect_ex(self, address)


socket.getaddrinfo = _guarded_getaddrinfo
socket.socket.connect = _guarded_connect
socket.socket.connect_ex = _guarded_connect_ex

# The CLI vendors its own botocore and aliases it as the top-level "botocore" package, so the
# two cannot share an interpreter: a worker runs one mode, chosen by its first argument.
MODE = sys.argv[1] if len(sys.argv) > 1 else 'botocore'
CLI_VERSION = None
if MODE == 'cli':
    import awscli  # noqa: E402  (after the guard, on purpose)
    import awscli.clidriver  # noqa: E402
    import awscli.botocore.credentials  # noqa: E402
    import awscli.botocore.session  # noqa: E402
    import awscli.botocore.tokens  # noqa: E402
    import awscli.customizations.assumerole  # noqa: E402
    import awscli.customizations.sso  # noqa: E402
    import awscli.customizations.sso.utils  # noqa: E402
    # After awscli, "botocore" is the CLI's vendored copy loaded a second time under the
    # top-level name (a separate module object the CLI itself uses): patch both copies.
    import botocore  # noqa: E402
    import botocore.credentials  # noqa: E402
    import botocore.session  # noqa: E402
    import botocore.tokens  # noqa: E402
    CLI_VERSION = awscli.__version__
    BOTOCORE = botocore
    BOTOCORE_COPIES = [botocore, awscli.botocore]
    CLI_DATA_PATH = os.environ.get('AWS_DATA_PATH')  # set by awscli on import: the CLI's own models
else:
    import botocore  # noqa: E402  (after the guard, on purpose)
    import botocore.credentials  # noqa: E402
    import botocore.session  # noqa: E402
    import botocore.tokens  # noqa: E402
    BOTOCORE = botocore
    BOTOCORE_COPIES = [botocore]


# -- 1. endpoint checks ------------------------------------------------------------------------
def refusal(env):
    """Why this environment could send the chain off loopback, or None."""
    if env.get('AWS_CONTAINER_CREDENTIALS_RELATIVE_URI'):
        return 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI sends the chain to 169.254.170.2'
    imds_disabled = env.get('AWS_EC2_METADATA_DISABLED', 'false').lower() == 'true'
    if not imds_disabled and not env.get('AWS_EC2_METADATA_SERVICE_ENDPOINT'):
        return 'AWS_EC2_METADATA_SERVICE_ENDPOINT is not set: botocore would ask 169.254.169.254'
    for name in ('AWS_EC2_METADATA_SERVICE_ENDPOINT', 'AWS_CONTAINER_CREDENTIALS_FULL_URI',
                 'AWS_ENDPOINT_URL', 'AWS_ENDPOINT_URL_STS', 'AWS_ENDPOINT_URL_SSO', 'AWS_ENDPOINT_URL_SSO_OIDC'):
        value = env.get(name)
        if value and not is_loopback_host(urlparse(value).hostname):
            return f'{name}={value} is not a loopback URL'
    for name in ('AWS_ENDPOINT_URL_STS', 'AWS_ENDPOINT_URL_SSO'):
        if not env.get(name):
            return f'{name} is not set: the oracle keeps botocore\'s {name[17:].lower()} calls on loopback with it'
    if env.get('AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE', '').lower() == 'ipv6' and not env.get('AWS_EC2_METADATA_SERVICE_ENDPOINT'):
        return 'IPv6 IMDS mode without an endpoint would ask fd00:ec2::254'
    return None


# -- 2. the endpoint shim ----------------------------------------------------------------------
def loopback_endpoint(service):
    names = {'sts': 'AWS_ENDPOINT_URL_STS', 'sso': 'AWS_ENDPOINT_URL_SSO', 'sso-oidc': 'AWS_ENDPOINT_URL_SSO_OIDC'}
    name = names.get(service)
    url = os.environ.get(name) if name else None
    if service == 'sso-oidc' and not url:
        url = os.environ.get('AWS_ENDPOINT_URL_SSO')  # refreshing a token: still loopback, and the world refuses it
    if not url or not is_loopback_host(urlparse(url).hostname):
        raise RuntimeError(f'chainproof oracle: refused to create a {service} client without a loopback endpoint')
    return url


def shim_create_client(session_class):
    original = session_class.create_client

    def create_client(self, service_name, *args, **kwargs):
        kwargs['endpoint_url'] = loopback_endpoint(service_name)
        if service_name == 'sts' and not kwargs.get('region_name') and not self.get_config_variable('region'):
            # Without an endpoint override, STS with no region resolves to the global endpoint,
            # signed for us-east-1 (sts_regional_endpoints=legacy); an explicit endpoint_url
            # loses that, so the oracle restores it rather than fail with NoRegionError.
            kwargs['region_name'] = 'us-east-1'
        return original(self, service_name, *args, **kwargs)

    session_class.create_client = create_client


for copy in BOTOCORE_COPIES:
    shim_create_client(copy.session.Session)


def point_caches_at_home():
    """Cache directories botocore and the CLI compute from ~ at import time: re-aim them at the world's HOME."""
    home = os.environ.get('HOME', '')
    sso_cache = os.path.join(home, '.aws', 'sso', 'cache')
    cli_cache = os.path.join(home, '.aws', 'cli', 'cache')
    for copy in BOTOCORE_COPIES:
        copy.credentials.SSOProvider._SSO_TOKEN_CACHE_DIR = sso_cache
        copy.tokens.SSOTokenProvider._SSO_TOKEN_CACHE_DIR = sso_cache
    if CLI_VERSION:
        awscli.customizations.assumerole.CACHE_DIR = cli_cache
        awscli.customizations.sso.AWS_CREDS_CACHE_DIR = cli_cache
        awscli.customizations.sso.utils.AWS_CREDS_CACHE_DIR = cli_cache
        awscli.customizations.sso.utils.SSO_TOKEN_DIR = sso_cache


def describe(error):
    return f'{type(error).__name__}: {error}'


def run_botocore():
    credentials = BOTOCORE.session.Session().get_credentials()
    if credentials is None:
        return {'method': None}
    answer = {'method': credentials.method}
    try:
        answer['accessKeyId'] = credentials.access_key  # deferred providers (assume-role, sso, web identity) fetch here
    except Exception as error:  # noqa: BLE001 — the chain chose a method, then its fetch failed
        answer['fetchError'] = describe(error)
    return answer


def run_cli():
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        rc = awscli.clidriver.create_clidriver().main(['configure', 'list'])
    if rc != 0:
        return {'error': err.getvalue().strip().splitlines()[-1] if err.getvalue().strip() else f'exit {rc}'}
    for line in out.getvalue().splitlines():
        cells = line.split()
        if cells and cells[0] == 'access_key':
            # access_key  <value>  <type>  <location…>; an unset key shows "<not set>  None  None"
            if cells[1] == '<not':
                return {'type': None}
            return {'type': cells[2], 'accessKeyId': cells[1]}
    return {'error': 'no access_key row in aws configure list'}


def evaluate(request):
    env = {str(k): str(v) for k, v in request['env'].items()}
    why = refusal(env)
    if why:
        return {'refused': why}
    os.environ.clear()
    os.environ.update(env)
    if MODE == 'cli' and CLI_DATA_PATH:
        os.environ['AWS_DATA_PATH'] = CLI_DATA_PATH
    point_caches_at_home()
    try:
        answer = run_cli() if MODE == 'cli' else run_botocore()
    except Exception as error:  # noqa: BLE001 — an exception that stops the chain is the answer
        answer = {'error': describe(error)}
    if refused_connections:
        answer['refusedConnections'] = list(refused_connections)
    return answer


def in_child(request):
    """Evaluates one request in a forked child: nothing the chain caches survives into the next world."""
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read_fd)
        try:
            answer = evaluate(request)
        except BaseException as error:  # noqa: BLE001
            answer = {'error': f'oracle crashed: {describe(error)}', 'trace': traceback.format_exc(limit=3)}
        with os.fdopen(write_fd, 'w') as pipe:
            pipe.write(json.dumps(answer))
        os._exit(0)
    os.close(write_fd)
    with os.fdopen(read_fd) as pipe:
        text = pipe.read()
    os.waitpid(pid, 0)
    return json.loads(text) if text else {'error': 'oracle child died without an answer'}


def warm_up():
    """Imports what every request needs once, in the parent, so forked children start warm.

    Building the CLI driver and its command table imports most of the CLI (~0.2 s); nothing is
    resolved, read from ~/.aws or sent anywhere (the worker's HOME is an empty directory).
    """
    if MODE == 'cli':
        driver = awscli.clidriver.create_clidriver()
        driver._get_command_table()
    else:
        BOTOCORE.session.Session()


def main():
    warm_up()
    print(json.dumps({'ready': True, 'mode': MODE, 'botocore': BOTOCORE.__version__, 'cli': CLI_VERSION, 'python': sys.version.split()[0]}), flush=True)
    for line in sys.stdin:
        if not line.strip():
            continue
        request = json.loads(line)
        answer = in_child(request)
        answer['id'] = request.get('id')
        print(json.dumps(answer), flush=True)


if __name__ == '__main__':
    main()
