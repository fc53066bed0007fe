// Framework serves its Inspector as a built-in module (no CDN); only what the live cells use is typed.
declare module "npm:@observablehq/runtime" {
  export class Inspector {
    constructor(node: Element);
    fulfilled(value: unknown, name?: string): void;
    rejected(error: unknown, name?: string): void;
  }
}
