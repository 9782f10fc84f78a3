// What every network of the workspace is, and the per-run choices about it: the types the model
// builders (classifiers.ts, resnet.ts) and everything downstream share, with no builder behind them.
import * as tf from "@tensorflow/tfjs";
import { Rng } from "../seeding/rng";
import { DropoutControl } from "./dropout";
import { InitName } from "./init";

export interface BayesianModel {
  name: string;
  net: tf.LayersModel;
  dropout: DropoutControl;
  inputShape: number[];
  numClasses: number;
}

export type ModelName = "lenet5" | "keras-cnn" | "bayesian-mnist-cnn" | "dbalhq-mnist" | "dbalhq-cifar10" | "resnet18-mnist" | "resnet18-cifar" | "mlp";
export type ModelFactory = (rng: Rng) => BayesianModel;

/** Per-run choices about a named network (part of the run config, hence of its key). */
export interface ModelOptions {
  /** Weight initialisation (default "glorot"). */
  init?: InitName;
  /** Dropout rates of the network's dropout layers in order, replacing the defaults (same count). */
  dropout?: number[];
  /** ResNet-18 only: keep torchvision's max-pool after the stem (default true). */
  maxPool?: boolean;
}
