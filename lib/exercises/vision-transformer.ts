/**
 * Chapter 8 「Attention / Transformer for Vision」: the checked exercises, one module per part of the page (V1–V2,
 * V3, V4–V5), re-exported here so that the page and the tests import one module.
 */
export * from "./vision-transformer/v12.js";
export * from "./vision-transformer/v3.js";
export * from "./vision-transformer/v45.js";
