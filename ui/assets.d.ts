/** Stylesheets are bundled by esbuild (`ui/build.ts`) into `main.css`; importing one yields nothing. */
declare module '*.css';
