# The real AWS SDK for Ruby v3 (Debian's ruby-aws-sdk-core) as an oracle: one long-lived worker
# that resolves its DEFAULT chain (Aws::CredentialProviderChain, what every client without explicit
# credentials uses) in a world's environment, one JSON line per world:
#   in:  { id, env, endpoints: { sts, sso, ssoOidc? } }
#   out: { id, accessKeyId } | { id, error } | { id, refused: [...] }
# The chain is resolved as a client resolves it (Aws::STS::Client.new.config.credentials), so it
# gets the client's config: its region, which a role profile's STS client needs.
# aws-sdk-core 3.168 ignores AWS_ENDPOINT_URL_STS / _SSO / _SSO_OIDC, so the worker points its STS,
# SSO and SSO OIDC clients at the world; and its InstanceProfileCredentials drops the port of
# AWS_EC2_METADATA_SERVICE_ENDPOINT (it always connects to port 80), so the worker hands it the port.
#
# It runs ONLY inside a loopback-only network namespace (`unshare -n`): the SDK asks
# 169.254.169.254 when no endpoint is set. It refuses to start anywhere else, and refuses any
# socket to a non-loopback address besides.
require 'json'
require 'socket'
require 'uri'

links = begin
  File.readlines('/proc/self/net/dev').drop(2).map { |line| line.split(':').first.strip }.reject(&:empty?)
rescue StandardError => e
  ["(unreadable: #{e.message})"]
end
unless links == ['lo']
  $stdout.puts JSON.generate(ready: false, refused: "not a loopback-only network namespace (interfaces: #{links.join(', ')}); run it under unshare -n")
  $stdout.flush
  exit 2
end

REFUSED = []
LOOPBACK = /\A(localhost|127\.\d+\.\d+\.\d+|::1)\z/
# Net::HTTP opens its sockets with TCPSocket.open / Socket.tcp: both are guarded
module LoopbackOnly
  def self.check(host)
    return if LOOPBACK.match?(host.to_s)

    REFUSED << host.to_s
    raise Errno::ECONNREFUSED, "ruby oracle: refused a connection to #{host}"
  end

  def open(host, *args, **kwargs, &block)
    LoopbackOnly.check(host)
    super
  end

  def tcp(host, *args, **kwargs, &block)
    LoopbackOnly.check(host)
    super
  end
end
TCPSocket.singleton_class.prepend(LoopbackOnly)
Socket.singleton_class.prepend(LoopbackOnly)

require 'aws-sdk-core'

# 3.168 connects to port 80 whatever AWS_EC2_METADATA_SERVICE_ENDPOINT says: give it the port
module MetadataPort
  def initialize(options = {})
    endpoint = ENV['AWS_EC2_METADATA_SERVICE_ENDPOINT']
    options = options.merge(port: URI.parse(endpoint).port) if endpoint && !options[:port]
    super(options)
  end
end
Aws::InstanceProfileCredentials.prepend(MetadataPort)

$stdout.puts JSON.generate(ready: true, sdk: Aws::CORE_GEM_VERSION, ruby: RUBY_VERSION)
$stdout.flush

$stdin.each_line do |line|
  next if line.strip.empty?
  request = JSON.parse(line)
  ENV.clear
  ENV.update(request['env'])
  # the shared config is memoized per process: read this world's files
  Aws.instance_variable_set(:@shared_config, nil)
  Aws.config.clear
  endpoints = request['endpoints']
  Aws.config.update(sts: { endpoint: endpoints['sts'] }, sso: { endpoint: endpoints['sso'] }, ssooidc: { endpoint: endpoints['ssoOidc'] || endpoints['sso'] })
  before = REFUSED.length
  answer = { id: request['id'] }
  begin
    # as a client resolves it: the chain gets the client's config (its region and profile), which
    # a role profile's STS client needs
    provider = Aws::STS::Client.new.config.credentials
    if provider&.set?
      answer[:accessKeyId] = provider.credentials.access_key_id
    else
      answer[:error] = 'no credentials (the chain returned no provider)'
    end
  rescue StandardError => e
    answer[:error] = "#{e.class}: #{e.message.to_s.lines.first.to_s.strip}"
  end
  answer[:refused] = REFUSED[before..] if REFUSED.length > before
  $stdout.puts JSON.generate(answer)
  $stdout.flush
end
