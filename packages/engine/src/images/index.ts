export { chainIds, cleanInstruction, imagesSnapshot } from "./model";
export { IMAGE_EVENTS_SCRIPT, IMAGE_SCAN_SCRIPT, parseImageScan, type RawImageScan } from "./scan";
export { type ImagesWatcher, ImageWatch, type ImageWatchSource, watchImages } from "./watch";
