import { createRouter } from '../app.ts';

// Placeholder: benchmark-only routes (enabled by the BENCH_ROUTES var) are not written yet.
const app = createRouter();

export default app;
