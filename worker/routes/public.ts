import { createRouter } from '../app.ts';

// Placeholder: this resource's routes are not written yet.
const app = createRouter();

export default app;
