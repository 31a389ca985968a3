// A single-page app: rendered in the browser only, from build/200.html.
export const ssr = false;
export const prerender = false;
