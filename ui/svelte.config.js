import adapter from '@sveltejs/adapter-static';

// A single-page app: the core serves build/ at / and answers every unknown path with
// 200.html. UI_BUILD_DIR / UI_KIT_DIR let parallel builds (one per developer or test
// run) keep out of each other's way.
export default {
  kit: {
    adapter: adapter({ pages: process.env.UI_BUILD_DIR ?? 'build', assets: process.env.UI_BUILD_DIR ?? 'build', fallback: '200.html', precompress: true }),
    outDir: process.env.UI_KIT_DIR ?? '.svelte-kit',
  },
};
