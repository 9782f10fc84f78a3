// What the survey publishes that this workspace uses: its catalogue's strategies we do not implement.
// The survey's own result tables are not in our copy of the text, so no number of theirs is here.


/** The survey's strategies this workspace does not implement, and why (shown in the notebook). */
export const NOT_IMPLEMENTED: { label: string; why: string }[] = [
  { label: "WAAL", why: "trains the learner itself with a Wasserstein min-max loss over labelled and unlabelled batches (a second loss and a critic inside every training step); the loop trains one network on one cross-entropy loss, so WAAL needs a different trainer, not a strategy" },
  { label: "LPL", why: "attaches a loss-prediction module to intermediate feature maps of the learner and trains both jointly (a margin ranking loss, detached after 120 epochs in the original); the learner and its training would both change" },
  { label: "VAAL", why: "trains a VAE and a discriminator (Sinha et al.'s 4-layer 128-1024 convolutional encoder/decoder, 30 epochs) beside the learner every round; it would fit the strategy interface like the hybrid paper's discriminator, but was not built in this session" },
];
