// Framework's standard library module, as local modules import it; only what the course uses is typed.
declare module "observablehq:stdlib" {
  export function FileAttachment(path: string): {url(): Promise<string>};
}
