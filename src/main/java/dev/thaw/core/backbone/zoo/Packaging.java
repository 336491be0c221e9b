package dev.thaw.core.backbone.zoo;

import com.google.gson.annotations.SerializedName;

/**
 * How a published file wraps the model. The published checksum always covers the file as served
 * (the archive), so an archive is verified first and unpacked after.
 */
public enum Packaging {
    /** The model file itself. */
    @SerializedName("none")
    NONE,
    /** A zip archive holding the model file. */
    @SerializedName("zip")
    ZIP,
    /** A plain tar archive. */
    @SerializedName("tar")
    TAR,
    /** A gzip-compressed tar archive ({@code .tgz}, {@code .tar.gz}). */
    @SerializedName("tgz")
    TGZ,
    /** The model file, gzip-compressed ({@code .pt.gz}). */
    @SerializedName("gzip")
    GZIP;

    /** True for the forms that hold several entries and need a member chosen. */
    public boolean isArchive() {
        return this == ZIP || this == TAR || this == TGZ;
    }
}
