/**
 * Chapter 4 「RNN」, claim R2 (vanishing gradients, measured): how much the last hidden state h_T still depends
 * on an earlier one, ‖∂h_T/∂h_t‖ (the Frobenius norm of the u × u Jacobian), against the distance T − t.
 *
 * Computed with `tf.grad` through the cells of ../models/rnn.ts, one step at a time (the chain rule):
 * J_T = I, and J_{t−1} = J_t · ∂s_t/∂s_{t−1}, each step's vector–Jacobian products taken by `tf.grad` on a batch of u
 * copies of the state (row j carries row j of J_t). That is the same Jacobian as differentiating the whole unrolled
 * chain from h_t to h_T (tested), for T steps instead of T²/2.
 *
 * For the LSTM the state is s_t = (h_t, c_t), and the number reported is the norm of the Jacobian with respect to the
 * whole state, ‖∂h_T/∂(h_t, c_t)‖_F = √(‖∂h_T/∂h_t‖² + ‖∂h_T/∂c_t‖²): how much h_T still depends on what the cell
 * held at step t, through both paths, the cell state's own one (the "constant error carousel") included. Leaving
 * the c_t block out would measure only the path the LSTM was built to avoid.
 */
import {tf} from "../tf.js";
import {gruStep, lstmStep, simpleRnnStep, unitsOf, type CellKind, type RnnWeights} from "../models/rnn.js";

export interface GradNormPoint {
  /** T − t: how many steps back from the last state. */
  distance: number;
  /** ‖∂h_T/∂h_t‖_F; for the LSTM ‖∂h_T/∂(h_t, c_t)‖_F (see above) */
  norm: number;
}

/** One step as a function of the state s (h, or [h, c] concatenated for the LSTM) for a fixed input row x [1, d]. */
function stepOfState(kind: CellKind, x: tf.Tensor2D, w: RnnWeights): (s: tf.Tensor2D) => tf.Tensor2D {
  const u = unitsOf(w);
  return (s) => {
    const xs = tf.tile(x, [s.shape[0], 1]) as tf.Tensor2D; // [u, d]: one copy per Jacobian row
    if (kind === "simpleRNN") return simpleRnnStep(xs, s, w);
    if (kind === "gru") return gruStep(xs, s, w);
    const [h, c] = tf.split(s, [u, u], 1) as [tf.Tensor2D, tf.Tensor2D];
    const next = lstmStep(xs, {h, c}, w);
    return tf.concat([next.h, next.c], 1) as tf.Tensor2D;
  };
}

/**
 * ‖∂h_T/∂s_t‖ (s = h, or (h, c) for the LSTM) for t = T − 1 … 0 (distance 1 … T; h_0 = 0 is the initial state), on one sequence xs [1, T, d].
 * Every tensor it makes is disposed.
 */
export async function hiddenGradNorms(kind: CellKind, w: RnnWeights, xs: tf.Tensor3D): Promise<GradNormPoint[]> {
  if (xs.shape[0] !== 1) throw new Error(`hiddenGradNorms takes one sequence [1, T, d], got [${xs.shape}]`);
  const norms = tf.tidy(() => {
    const steps = xs.shape[1];
    const u = unitsOf(w);
    const width = kind === "lstm" ? 2 * u : u;
    const inputs = tf.unstack(xs, 1) as tf.Tensor2D[]; // T × [1, d]
    // forward: s_0 … s_{T−1} (the state each step starts from)
    const states: tf.Tensor2D[] = [tf.zeros([1, width])];
    for (let t = 0; t < steps - 1; t++) states.push(stepOfState(kind, inputs[t], w)(states[t]));
    // backward: G = ∂h_T/∂s_t, [u, width]; starts at ∂h_T/∂s_T = [I, 0]
    let g = tf.concat([tf.eye(u), tf.zeros([u, width - u])], 1) as tf.Tensor2D;
    const out: tf.Tensor[] = [];
    for (let t = steps; t >= 1; t--) {
      const f = stepOfState(kind, inputs[t - 1], w);
      const s = tf.tile(states[t - 1], [u, 1]) as tf.Tensor2D; // [u, width]
      g = tf.grad((state: tf.Tensor) => f(state as tf.Tensor2D))(s, g) as tf.Tensor2D; // row j: (row j of G)·∂s_t/∂s_{t−1}
      out.push(tf.norm(g)); // ∂h_T/∂s_t: the h block, and for the LSTM the c block too
    }
    return tf.stack(out) as tf.Tensor1D;
  });
  const values = await norms.data();
  norms.dispose();
  return Array.from(values, (norm, i) => ({distance: i + 1, norm}));
}
