package io.deployflow.testpeers;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.GZIPOutputStream;

/**
 * Pushes a minimal OCI image (config blob, one empty layer, manifest) to an open registry with the plain
 * distribution API, so registry tests need no container engine. The registry stores and serves it like any image.
 */
public final class TinyImagePush {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private TinyImagePush() {
    }

    /** Pushes {@code <hostPort>/<repository>:<tag>} over plain http and returns the manifest digest. */
    public static String push(String hostPort, String repository, String tag) {
        String base = "http://" + hostPort + "/v2/" + repository;
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{},\"rootfs\":{\"type\":\"layers\","
                + "\"diff_ids\":[]}}").getBytes(StandardCharsets.UTF_8);
        byte[] layer = emptyTarGz();
        String configDigest = uploadBlob(base, config);
        String layerDigest = uploadBlob(base, layer);
        String manifest = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + configDigest
                + "\",\"size\":" + config.length + "},\"layers\":[{\"mediaType\":"
                + "\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"" + layerDigest + "\",\"size\":"
                + layer.length + "}]}";
        HttpResponse<String> put = send(HttpRequest.newBuilder(URI.create(base + "/manifests/" + tag))
                .header("Content-Type", "application/vnd.oci.image.manifest.v1+json")
                .PUT(HttpRequest.BodyPublishers.ofString(manifest)).build());
        expect(put, 201, "manifest PUT");
        return put.headers().firstValue("Docker-Content-Digest").orElseThrow();
    }

    private static String uploadBlob(String base, byte[] content) {
        String digest = "sha256:" + sha256(content);
        HttpResponse<String> start = send(HttpRequest.newBuilder(URI.create(base + "/blobs/uploads/"))
                .POST(HttpRequest.BodyPublishers.noBody()).build());
        expect(start, 202, "blob upload start");
        URI location = URI.create(base).resolve(start.headers().firstValue("Location").orElseThrow());
        String separator = location.getQuery() == null ? "?" : "&";
        HttpResponse<String> put = send(HttpRequest.newBuilder(URI.create(location + separator + "digest=" + digest))
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(content)).build());
        expect(put, 201, "blob PUT");
        return digest;
    }

    private static byte[] emptyTarGz() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(bytes)) {
            gzip.write(new byte[1024]); // an empty tar archive is two zero blocks
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return bytes.toByteArray();
    }

    private static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(request.uri() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void expect(HttpResponse<String> response, int status, String what) {
        if (response.statusCode() != status) {
            throw new IllegalStateException(what + " " + response.uri() + " answered " + response.statusCode() + ": "
                    + response.body());
        }
    }
}
