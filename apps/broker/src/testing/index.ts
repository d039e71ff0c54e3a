// The broker test kit (`@beckon/broker/testing`): what tests of every project
// and the benches use to run a real broker they do not import. The broker's
// own in-process fixtures (fixture.ts, clocked-broker.ts) stay inside it.
export { startBroker, type StartBrokerOptions, type TestBroker } from './broker-process.ts';
export { ADMIN, BrokerClient, login, request, type ApiResult, type Created } from './client.ts';
export { startSmtpSink, type SinkMail, type SmtpSink } from './smtp-sink.ts';
export { freePort } from './free-port.ts';
