import './components/public-shell.ts';
import './pages/nearby-page.ts';
import { registerSW } from 'virtual:pwa-register';

// The service worker (Workbox, generated at build) keeps this page and its last answers for use
// without a signal. Updates apply on the next visit.
if ('serviceWorker' in navigator) registerSW({ immediate: true });
