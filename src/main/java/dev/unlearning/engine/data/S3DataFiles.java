package dev.unlearning.engine.data;

import dev.unlearning.api.Locations;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Data files on S3 (datasets, subject maps, id lists), brought onto the pod's scratch volume: each object streams
 * to a file (never held in memory), its length and — for single-part uploads, whose ETag is the MD5 — its MD5
 * are checked, and it is kept beside its ETag so a second read in the same pod downloads nothing. A URI ending in
 * "/" (or naming a prefix rather than an object) is a directory: every object under it comes down.
 */
public final class S3DataFiles {

    private final Supplier<S3Client> client;
    private final Path cache;
    private S3Client s3;

    /** {@code client} is made on first use, so pods with no s3:// data need no S3 credentials. */
    public S3DataFiles(Supplier<S3Client> client, Path cache) {
        this.client = client;
        this.cache = cache;
    }

    public Path fetch(String uri) throws IOException {
        Locations.requireNoParentSegments(uri);
        String rest = uri.substring("s3://".length());
        int slash = rest.indexOf('/');
        String bucket = slash < 0 ? rest : rest.substring(0, slash);
        String key = slash < 0 ? "" : rest.substring(slash + 1);
        if (bucket.isEmpty()) {
            throw new DataException(uri + ": no bucket");
        }
        try {
            if (!key.isEmpty() && !key.endsWith("/")) {
                HeadObjectResponse head = head(bucket, key);
                if (head != null) {
                    return download(uri, bucket, key, head.contentLength(), head.eTag());
                }
                key = key + "/";
            }
            return directory(uri, bucket, key);
        } catch (NoSuchKeyException e) {
            throw new DataException(uri + ": no such object");
        } catch (S3Exception e) {
            throw refused(uri, e);
        } catch (SdkClientException e) {
            throw new IOException(uri + ": cannot reach S3: " + e.getMessage(), e);
        }
    }

    private Path directory(String uri, String bucket, String prefix) throws IOException {
        List<S3Object> objects = new ArrayList<>();
        s3().listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents().forEach(objects::add);
        objects.removeIf(o -> o.key().endsWith("/"));
        if (objects.isEmpty()) {
            throw new DataException(uri + ": no such object or prefix");
        }
        for (S3Object object : objects) {
            download("s3://" + bucket + "/" + object.key(), bucket, object.key(), object.size(), object.eTag());
        }
        return local(bucket, prefix);
    }

    private Path download(String uri, String bucket, String key, long size, String etag) throws IOException {
        Locations.requireNoParentSegments(key);
        Path file = local(bucket, key);
        Path tag = file.resolveSibling("." + file.getFileName() + ".etag");
        String wanted = etag == null ? "" : etag.replace("\"", "");
        if (Files.isRegularFile(file) && Files.size(file) == size && Files.isRegularFile(tag)
                && Files.readString(tag).equals(wanted)
                && (!wanted.matches("[0-9a-f]{32}") || wanted.equals(md5(file)))) {
            return file;
        }
        Files.createDirectories(file.getParent());
        Path partial = file.resolveSibling("." + file.getFileName() + ".part");
        Files.deleteIfExists(partial);
        try {
            s3().getObject(b -> b.bucket(bucket).key(key), ResponseTransformer.toFile(partial));
            if (Files.size(partial) != size) {
                throw new DataException(uri + ": downloaded " + Files.size(partial) + " bytes, the object has " + size);
            }
            if (wanted.matches("[0-9a-f]{32}") && !wanted.equals(md5(partial))) {
                throw new DataException(uri + ": the download's MD5 differs from the object's ETag " + wanted);
            }
            Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            Files.writeString(tag, wanted);
            return file;
        } finally {
            Files.deleteIfExists(partial);
        }
    }

    private HeadObjectResponse head(String bucket, String key) {
        try {
            return s3().headObject(b -> b.bucket(bucket).key(key));
        } catch (NoSuchKeyException e) {
            return null;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return null;
            }
            throw e;
        }
    }

    private static DataException refused(String uri, S3Exception e) {
        int status = e.statusCode();
        String why = status == 403 ? "access denied (check spec.dataset.secretRef: its AWS_ACCESS_KEY_ID, "
                + "AWS_SECRET_ACCESS_KEY and the bucket's policy)"
                : status == 404 ? "no such bucket or object" : "S3 answered " + status;
        return new DataException(uri + ": " + why + (e.awsErrorDetails() != null && e.awsErrorDetails().errorCode()
                != null ? " [" + e.awsErrorDetails().errorCode() + "]" : ""));
    }

    private Path local(String bucket, String key) {
        return cache.resolve("s3").resolve(bucket).resolve(key);
    }

    private synchronized S3Client s3() {
        if (s3 == null) {
            s3 = client.get();
        }
        return s3;
    }

    private static String md5(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                md5.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(md5.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has MD5", e);
        }
    }
}
