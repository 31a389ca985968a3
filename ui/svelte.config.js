import adapter from '@sveltejs/adapter-static';

/** A single-page app: the core serves build/ at / and answers every unknown path with 200.html. */
export default {
  kit: {
    adapter: adapter({ fallback: '200.html', precompress: true }),
  },
};
