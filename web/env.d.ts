/// <reference types="vite-plugin-pwa/vanillajs" />
// (vite-plugin-pwa's registration module, for the public page's service worker.)
// Vite's `?inline` imports: a stylesheet's text, for a shadow root.
declare module '*.css?inline' {
  const css: string;
  export default css;
}
