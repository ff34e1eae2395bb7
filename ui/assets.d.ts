/** Stylesheets are bundled by esbuild (`ui/build.ts`) into `main.css`; importing one yields nothing. */
declare module '*.css';

/** SVG icons are copied next to the bundle by esbuild's file loader; importing one yields its URL. */
declare module '*.svg' {
  const url: string;
  export default url;
}
