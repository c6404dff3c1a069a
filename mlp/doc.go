// Package mlp trains and runs multilayer perceptrons for classification,
// built on package kernels (all the arithmetic in the training and inference
// hot paths is kernels.Sgemm, kernels.SgemmCSR and the elementwise and fused
// training kernels),
// with checkpoints in package ckpt's format.
//
// # Model
//
// New builds a model from a list of layer sizes, input first and classes
// last (784-256-10 for MNIST): dense layers with a ReLU, tanh or sigmoid
// activation after every hidden layer and a linear output layer whose logits
// feed a fused, numerically stable softmax cross-entropy. Init fills it with
// He (default), Xavier or the standard-normal initialisation, from a seeded
// PCG generator (never a global source).
//
// Variables have stable names, counted from the input: "dense0/weights"
// (shape [in, out], row-major, so a batch X maps to X·W), "dense0/bias"
// (shape [out]), "dense1/weights", and so on. Checkpoints store them by name
// with the architecture in the metadata (MetaSizes, MetaActivation), so Load
// rebuilds a model from the file alone, Restore fills variables by name in
// any order (all-or-nothing, with every mismatch named), and finetuning
// restores some layers while others keep a fresh initialisation.
//
// # Training
//
// Train runs shuffled mini-batches (seeded; the last, partial batch is
// used), SGD, momentum (optionally Nesterov) or Adam, a constant, step or
// cosine learning-rate schedule, L2 regularisation β/2·Σ‖W‖² on weights (not
// biases) and dropout on hidden activations (keep probability p, scaled by
// 1/p in training, off at evaluation). With a validation set — carve it from
// the training set, never the test set — it keeps the weights of the epoch
// with the best validation accuracy, stops after Patience epochs without
// improvement, and can save that model with its training state to a
// checkpoint. The same seed and data give bit-identical weights whatever the
// number of threads kernels.Sgemm uses, because no kernel splits a sum
// across threads.
//
// Forward, one Sgemm per layer (NN) plus a bias add and the activation;
// backward, Xᵀ·dY (TN) for each weight gradient, column sums for each bias
// gradient and dY·Wᵀ (NT) for each input gradient except the first layer's.
//
// Sparse inputs: when at most 35% of the training set's features are nonzero
// (MNIST's pixels: 19%), the first layer keeps each batch X, and its
// transpose, as compressed sparse rows and computes X·W and Xᵀ·dY with
// kernels.SgemmCSR, which skips the zeros. Those two products are nearly all
// of an epoch's arithmetic, and at MNIST's density the sparse ones ran 2.3×
// as fast as the dense Sgemm on the development machine. The results equal
// the dense path's up to rounding (the sums run in another order), and stay
// bit-identical across thread counts.
//
// Byte features: Data may hold its features as one byte each (Codes) with a
// 256-entry Palette of their float32 values instead of X, as the train
// command does with MNIST's pixels (mnist.Dataset.Pixels and
// mnist.Palette). Each step then gathers its batch's rows from a quarter of
// the memory, fewer DRAM waits, and decodes them with kernels.Lookup into
// the float32 batch the products take, so training gives the same bits as
// from the float32 values.
//
// Dropout masks come from kernels.DropoutMask, keyed by the seed, the batch
// number and the layer, so they too are the same whatever the thread count.
//
// # Inference
//
// A Predictor owns a workspace sized for a maximum batch, so Predict,
// PredictBatch, Logits and Probabilities allocate nothing per call. An
// Ensemble averages the softmax outputs of several models.
//
// # Commands
//
// mlp/cmd/train trains on MNIST (go run ./mlp/cmd/train, no flags needed)
// and writes ./mnist-mlp.ckpt; mlp/cmd/eval reports the test accuracy,
// per-class accuracy and confusion matrix of a checkpoint or an ensemble.
package mlp
