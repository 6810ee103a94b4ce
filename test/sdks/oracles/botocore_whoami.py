"""A program the real-client tests run inside a world (chainproof exec): botocore's own
get_credentials(), then STS GetCallerIdentity at the world's STS. Prints one JSON line with the
credential method, the last 4 characters of the key id and the ARN; never a secret. Refuses to
start outside a loopback-only network namespace (botocore asks 169.254.169.254 by default)."""
import json
import os
import sys


def interfaces():
    with open('/proc/self/net/dev') as f:
        return [line.split(':')[0].strip() for line in f.readlines()[2:] if line.strip()]


if interfaces() != ['lo']:
    sys.stderr.write('botocore_whoami: refusing to start outside a loopback-only network namespace\n')
    sys.exit(97)

import botocore
import botocore.session

session = botocore.session.Session()
out = {'botocore': botocore.__version__}
try:
    credentials = session.get_credentials()
except Exception as error:  # the chain's own error: its class name and message
    out['error'] = f'{type(error).__name__}: {error}'
    print(json.dumps(out))
    sys.exit(3)
if credentials is None:
    out['error'] = 'no credentials'
    print(json.dumps(out))
    sys.exit(3)
out['method'] = credentials.method
out['keyId'] = credentials.get_frozen_credentials().access_key[-4:]
# botocore 1.29 ignores AWS_ENDPOINT_URL_STS for its clients: the endpoint is given in code
sts = session.create_client('sts', endpoint_url=os.environ['AWS_ENDPOINT_URL_STS'], region_name=os.environ.get('AWS_REGION', 'us-east-1'))
out['arn'] = sts.get_caller_identity()['Arn']
print(json.dumps(out))
