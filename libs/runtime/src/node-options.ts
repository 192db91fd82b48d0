/**
 * What every app's Node is started with, wherever it runs: the image's NODE_OPTIONS (Dockerfile,
 * hence compose and Kubernetes), `npm start` (scripts/local-run.sh) and the pipeline bench. Tests
 * check that each of them says this (deploy/*.spec.ts).
 *
 * Node 26 sizes the young generation by the machine's memory: 32 MB semi-spaces on a 24 GiB
 * machine, where Node 20 kept 16. In the replay that took ingest and the aggregator to 315-331 MB
 * of RSS against the 300 MB each may use, for a few µs a report at most (decision 0082).
 */
export const APP_NODE_OPTIONS = '--max-semi-space-size=16';
