/**
 * Pretrained backbones Thaw can download: a catalog (data, in {@code catalog.json}), a downloader
 * that verifies what it fetched before anything else sees it, and {@link dev.thaw.core.backbone.zoo.ModelZoo},
 * which turns a catalog name into a local, verified TorchScript or ONNX file with its sidecar.
 *
 * <p>DJL's own downloader is not used: the app runs with {@code ai.djl.offline=true}, and we want
 * progress, cancellation, resume and air-gapped installs under our own control.
 */
package dev.thaw.core.backbone.zoo;
