package dev.unlearning.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** What the last erasure of a model deleted, as counts and content digests; never record ids. */
public class ErasureRecord {

    @JsonPropertyDescription("Every version older than this that held a forgotten record is gone from the store.")
    private int servedVersion;

    private List<Integer> keptVersions = new ArrayList<>();

    private List<Integer> erasedVersions = new ArrayList<>();

    @JsonPropertyDescription("Blobs (checkpoints, memberships) swept because no kept version needs them.")
    private int erasedBlobs;

    @JsonPropertyDescription("Staged results and progress records of finished runs.")
    private int erasedStagingFiles;

    @JsonPropertyDescription("Hidden copies deleted: older object versions and delete markers on a versioned bucket, "
            + "temporary files of killed writers.")
    private int erasedCopies;

    public int getErasedCopies() {
        return erasedCopies;
    }

    public void setErasedCopies(int erasedCopies) {
        this.erasedCopies = erasedCopies;
    }

    @JsonPropertyDescription("The signed erasure certificate listing every swept blob by digest.")
    private CertificateReference certificate;

    private String finishedAt;

    public int getServedVersion() {
        return servedVersion;
    }

    public void setServedVersion(int servedVersion) {
        this.servedVersion = servedVersion;
    }

    public List<Integer> getKeptVersions() {
        return keptVersions;
    }

    public void setKeptVersions(List<Integer> keptVersions) {
        this.keptVersions = keptVersions;
    }

    public List<Integer> getErasedVersions() {
        return erasedVersions;
    }

    public void setErasedVersions(List<Integer> erasedVersions) {
        this.erasedVersions = erasedVersions;
    }

    public int getErasedBlobs() {
        return erasedBlobs;
    }

    public void setErasedBlobs(int erasedBlobs) {
        this.erasedBlobs = erasedBlobs;
    }

    public int getErasedStagingFiles() {
        return erasedStagingFiles;
    }

    public void setErasedStagingFiles(int erasedStagingFiles) {
        this.erasedStagingFiles = erasedStagingFiles;
    }

    public CertificateReference getCertificate() {
        return certificate;
    }

    public void setCertificate(CertificateReference certificate) {
        this.certificate = certificate;
    }

    public String getFinishedAt() {
        return finishedAt;
    }

    public void setFinishedAt(String finishedAt) {
        this.finishedAt = finishedAt;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ErasureRecord o && servedVersion == o.servedVersion
                && Objects.equals(keptVersions, o.keptVersions) && Objects.equals(erasedVersions, o.erasedVersions)
                && erasedBlobs == o.erasedBlobs && erasedStagingFiles == o.erasedStagingFiles && erasedCopies == o.erasedCopies
                && Objects.equals(certificate, o.certificate) && Objects.equals(finishedAt, o.finishedAt);
    }

    @Override
    public int hashCode() {
        return Objects.hash(servedVersion, keptVersions, erasedVersions, erasedBlobs, erasedStagingFiles, erasedCopies,
                certificate, finishedAt);
    }
}
