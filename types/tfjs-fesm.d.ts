// The prebuilt ESM bundle of TF.js has no typings of its own; it is the same API as the package entry.
declare module "@tensorflow/tfjs/dist/tf.fesm.min.js" {
  export * from "@tensorflow/tfjs";
}
