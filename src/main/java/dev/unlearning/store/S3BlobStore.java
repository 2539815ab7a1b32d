package dev.unlearning.store;

import dev.unlearning.api.worker.S3Environment;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.paginators.ListObjectsV2Iterable;

/**
 * An S3-compatible bucket. Single PUTs are atomic in S3, which is all {@link BlobStore} promises. Exclusive
 * creation uses a conditional PUT ({@code If-None-Match: *}); servers that ignore it fall back to a check
 * before the write, which is safe here because the operator runs one publisher per model at a time.
 */
public final class S3BlobStore implements BlobStore {

    private final S3Client s3;
    private final String bucket;
    private final String prefix;

    /** Whether the bucket keeps object versions, read once: null until asked. */
    private volatile Boolean versioned;

    public S3BlobStore(S3Client s3, String bucket, String prefix) {
        this.s3 = s3;
        this.bucket = bucket;
        this.prefix = prefix.isEmpty() || prefix.endsWith("/") ? prefix : prefix + "/";
    }

    /**
     * A client from the standard AWS settings (AWS_REGION, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,
     * AWS_ENDPOINT_URL for S3-compatible servers); path-style addressing when AWS_S3_FORCE_PATH_STYLE=true.
     */
    /** Set to "true" (by the operator, where its settings allow) to let the SDK find the node's own credentials. */
    public static final String AMBIENT_CREDENTIALS_ENV = "UNLEARNING_S3_AMBIENT_CREDENTIALS";

    public static S3Client clientFromEnvironment() {
        return clientFromEnvironment(System::getenv);
    }

    /**
     * A client with the credentials of the model's Secret (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, optional
     * AWS_SESSION_TOKEN). Without them it refuses, unless {@value #AMBIENT_CREDENTIALS_ENV} allows the SDK's
     * default chain: that chain would otherwise pick up the node's instance profile, and any tenant could read
     * and write whatever the node may.
     *
     * @throws IllegalArgumentException saying what to set, when there are no credentials to use
     */
    public static S3Client clientFromEnvironment(UnaryOperator<String> env) {
        var builder = compatible(S3Client.builder())
                .forcePathStyle(Boolean.parseBoolean(orDefault(env, S3Environment.FORCE_PATH_STYLE, "false")));
        String region = env.apply(S3Environment.REGION);
        builder.region(Region.of(region == null || region.isBlank() ? "us-east-1" : region));
        String endpoint = env.apply(S3Environment.ENDPOINT_URL);
        if (endpoint != null && !endpoint.isBlank()) {
            builder.endpointOverride(URI.create(endpoint));
        }
        String key = env.apply(S3Environment.ACCESS_KEY_ID);
        String secret = env.apply(S3Environment.SECRET_ACCESS_KEY);
        if (key != null && !key.isBlank() && secret != null && !secret.isBlank()) {
            String token = env.apply(S3Environment.SESSION_TOKEN);
            builder.credentialsProvider(StaticCredentialsProvider.create(token == null || token.isBlank()
                    ? AwsBasicCredentials.create(key, secret) : AwsSessionCredentials.create(key, secret, token)));
        } else if (!"true".equalsIgnoreCase(env.apply(AMBIENT_CREDENTIALS_ENV))) {
            throw new IllegalArgumentException("no S3 credentials: set spec.storage.secretRef (and spec.dataset.secretRef "
                    + "for s3:// data) to a Secret with AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY; the node's own "
                    + "credentials are used only where the operator allows it (unlearning.s3.allow-ambient-credentials)");
        }
        return builder.build();
    }

    private static String orDefault(UnaryOperator<String> env, String name, String fallback) {
        String value = env.apply(name);
        return value == null ? fallback : value;
    }

    /**
     * Settings every S3-compatible server understands: checksums only where the API requires them. The SDK's
     * default trailing CRC checksums (since 2.30) are rejected by many non-AWS servers.
     */
    public static software.amazon.awssdk.services.s3.S3ClientBuilder compatible(
            software.amazon.awssdk.services.s3.S3ClientBuilder builder) {
        return builder
                .httpClientBuilder(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.builder())
                .requestChecksumCalculation(software.amazon.awssdk.core.checksums.RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(software.amazon.awssdk.core.checksums.ResponseChecksumValidation.WHEN_REQUIRED);
    }

    @Override
    public void put(String key, byte[] data) throws IOException {
        try {
            s3.putObject(b -> b.bucket(bucket).key(prefix + key), RequestBody.fromBytes(data));
        } catch (S3Exception e) {
            throw new IOException(describe() + ": cannot write " + key + ": " + e.getMessage(), e);
        }
    }

    @Override
    public boolean putIfAbsent(String key, byte[] data) throws IOException {
        if (exists(key)) {
            return false;
        }
        try {
            s3.putObject(b -> b.bucket(bucket).key(prefix + key).ifNoneMatch("*"), RequestBody.fromBytes(data));
            return true;
        } catch (S3Exception e) {
            if (e.statusCode() == 412 || e.statusCode() == 409) {
                return false;
            }
            throw new IOException(describe() + ": cannot write " + key + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<byte[]> get(String key) throws IOException {
        try {
            return Optional.of(s3.getObjectAsBytes(b -> b.bucket(bucket).key(prefix + key)).asByteArray());
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw new IOException(describe() + ": cannot read " + key + ": " + e.getMessage(), e);
        }
    }

    @Override
    public boolean exists(String key) throws IOException {
        try {
            s3.headObject(b -> b.bucket(bucket).key(prefix + key));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw new IOException(describe() + ": cannot stat " + key + ": " + e.getMessage(), e);
        }
    }

    @Override
    public List<String> list(String keyPrefix) throws IOException {
        try {
            List<String> keys = new ArrayList<>();
            ListObjectsV2Iterable pages = s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix + keyPrefix));
            pages.contents().forEach(o -> keys.add(o.key().substring(prefix.length())));
            keys.sort(null);
            return keys;
        } catch (S3Exception e) {
            throw new IOException(describe() + ": cannot list " + keyPrefix + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void delete(String key) throws IOException {
        try {
            s3.deleteObject(b -> b.bucket(bucket).key(prefix + key));
        } catch (S3Exception e) {
            throw new IOException(describe() + ": cannot delete " + key + ": " + e.getMessage(), e);
        }
    }

    /**
     * Older versions and delete markers, as {@code <key>@<versionId>}. A bucket that never had versioning keeps none,
     * nor does a server without the versioning API (it answers 501 Not Implemented); one that has or had it
     * (Enabled, Suspended) keeps every overwritten and deleted object until its version is deleted by id. A store
     * that cannot say which (the versioning API refused, e.g. AccessDenied) fails: erasure must not report as gone
     * what may still be there.
     */
    @Override
    public List<String> hiddenCopies(String keyPrefix) throws IOException {
        List<String> copies = new ArrayList<>();
        for (ObjectIdentifier copy : olderVersions(keyPrefix)) {
            copies.add(copy.key().substring(prefix.length()) + "@" + copy.versionId());
        }
        return copies;
    }

    @Override
    public int deleteHiddenCopies(String keyPrefix) throws IOException {
        List<ObjectIdentifier> copies = olderVersions(keyPrefix);
        for (ObjectIdentifier copy : copies) {
            try {
                s3.deleteObject(b -> b.bucket(bucket).key(copy.key()).versionId(copy.versionId()));
            } catch (S3Exception e) {
                throw new IOException(describe() + ": cannot delete version " + copy.versionId() + " of "
                        + copy.key() + ": " + e.getMessage(), e);
            }
        }
        return copies.size();
    }

    private List<ObjectIdentifier> olderVersions(String keyPrefix) throws IOException {
        if (!keepsVersions()) {
            return List.of();
        }
        try {
            List<ObjectIdentifier> older = new ArrayList<>();
            for (ListObjectVersionsResponse page : s3.listObjectVersionsPaginator(
                    b -> b.bucket(bucket).prefix(prefix + keyPrefix))) {
                page.versions().stream().filter(v -> !Boolean.TRUE.equals(v.isLatest()))
                        .forEach(v -> older.add(ObjectIdentifier.builder().key(v.key()).versionId(v.versionId()).build()));
                // A delete marker hides nothing once the versions under it are gone; the latest one is the delete.
                page.deleteMarkers().forEach(m -> older.add(ObjectIdentifier.builder().key(m.key())
                        .versionId(m.versionId()).build()));
            }
            return older;
        } catch (S3Exception e) {
            throw new IOException(describe() + ": the bucket keeps object versions, and listing them failed: "
                    + e.getMessage(), e);
        }
    }

    private boolean keepsVersions() throws IOException {
        Boolean known = versioned;
        if (known == null) {
            try {
                BucketVersioningStatus status = s3.getBucketVersioning(b -> b.bucket(bucket)).status();
                if (status == BucketVersioningStatus.UNKNOWN_TO_SDK_VERSION) {
                    throw new IOException(describe() + ": the bucket's versioning status is one this client does not "
                            + "know; what it keeps after a delete cannot be erased or checked");
                }
                known = status != null;
            } catch (S3Exception e) {
                if (e.statusCode() == 501) {
                    // Not Implemented: a server without object versioning (S3Proxy), so nothing outlives a delete.
                    versioned = Boolean.FALSE;
                    return false;
                }
                throw new IOException(describe() + ": cannot tell whether the bucket keeps older object versions "
                        + "(GetBucketVersioning: " + e.getMessage() + "); what a versioned bucket keeps after a delete "
                        + "cannot be erased or checked", e);
            }
            versioned = known;
        }
        return known;
    }

    @Override
    public String describe() {
        return "s3://" + bucket + "/" + prefix;
    }
}
