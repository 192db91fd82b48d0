/**
 * What the long-running apps' Node is started with: the image's NODE_OPTIONS (Dockerfile, hence
 * compose and Kubernetes, where a manifest that sets NODE_OPTIONS must repeat it), `npm start`
 * (scripts/local-run.sh) and the pipeline bench, which imports it. deploy/*.spec.ts check the
 * others. One-off tools and the tests' own app processes run without it.
 *
 * Node 26 sizes the young generation by the machine's memory: 32 MB semi-spaces on a 24 GiB
 * machine, where Node 20 kept 16. In the replay that took ingest and the aggregator to 315-331 MB
 * of RSS against the 300 MB each may use, for a few µs a report at most (decision 0082).
 */
export const APP_NODE_OPTIONS = '--max-semi-space-size=16';
