// Fashion-MNIST (Xiao et al. 2017): MNIST's format and sizes, ten clothing classes. The files'
// md5s are the ones published in zalandoresearch/fashion-mnist's README; normalised with DeepAL+'s
// statistics (0.286, 0.3529). The workspace's dataset folder has only the label files (see
// ../shared/datasets/README.md), so loading needs the two image files from the official mirror.
import { DatasetFile } from "./files";
import { loadIdxImageDataset } from "./mnist";
import { ImageDataset } from "./types";

const MIRRORS = ["http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"];

export const FASHION_MNIST_FILES = {
  trainImages: { dataset: "fashion-mnist", name: "train-images-idx3-ubyte.gz", md5: "8d4fb7e6c68d591d4c3dfef9ec88bf0d", mirrors: MIRRORS },
  trainLabels: { dataset: "fashion-mnist", name: "train-labels-idx1-ubyte.gz", md5: "25c81989df183df01b3e8a0aad5dffbe", mirrors: MIRRORS },
  testImages: { dataset: "fashion-mnist", name: "t10k-images-idx3-ubyte.gz", md5: "bef4ecab320f06d8554ea6380940ec79", mirrors: MIRRORS },
  testLabels: { dataset: "fashion-mnist", name: "t10k-labels-idx1-ubyte.gz", md5: "bb300cfdad3c16e7a12a480ee83cd310", mirrors: MIRRORS },
} satisfies Record<string, DatasetFile>;

export const FASHION_MNIST_MEAN = 0.286;
export const FASHION_MNIST_STD = 0.3529;

/** Fashion-MNIST from the data folder (md5-checked; downloaded where internet exists). `files` replaces the official list (tests). */
export function loadFashionMnist(dir?: string, files: typeof FASHION_MNIST_FILES = FASHION_MNIST_FILES): Promise<ImageDataset> {
  return loadIdxImageDataset("Fashion-MNIST", files, FASHION_MNIST_MEAN, FASHION_MNIST_STD, dir);
}
