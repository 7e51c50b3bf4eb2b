package io.deployflow.stack;

import io.deployflow.core.BadInputException;
import io.deployflow.core.OutsideSystemException;
import io.deployflow.testpeers.PodmanPeer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EngineApiTest {
    @TempDir
    Path dir;

    @Test
    void demultiplexJoinsStdoutAndStderrFramesInOrder() throws IOException {
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        frame(raw, 1, "starting\n");
        frame(raw, 2, "cannot reach database\n");
        frame(raw, 1, "");
        frame(raw, 1, "retrying\n");

        assertEquals("starting\ncannot reach database\nretrying\n",
                new String(EngineApi.demultiplex(raw.toByteArray()), StandardCharsets.UTF_8));
    }

    @Test
    void demultiplexLeavesRawTextAlone() {
        byte[] text = "plain log line from a TTY container\n".getBytes(StandardCharsets.UTF_8);
        assertArrayEquals(text, EngineApi.demultiplex(text));
    }

    @Test
    void chunkedAnswersAreReassembled() throws IOException {
        String raw = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5\r\n[{\"a\"\r\n6;ext=1\r\n:1}, 2\r\n1\r\n]\r\n0\r\n\r\n";

        EngineApi.Response response = HttpResponseParser.parse(raw.getBytes(StandardCharsets.US_ASCII));

        assertEquals(200, response.status());
        assertEquals("application/json", response.headers().get("content-type"));
        assertEquals("[{\"a\":1}, 2]", response.text());
    }

    @Test
    void aTruncatedAnswerIsAnError() {
        IOException e = assertThrows(IOException.class, () -> HttpResponseParser.parse("HTTP/1.1 200 OK\r\nContent-"
                .getBytes(StandardCharsets.US_ASCII)));
        assertEquals("engine closed the connection before a complete HTTP header (25 bytes)", e.getMessage());
        IOException notHttp = assertThrows(IOException.class, () -> HttpResponseParser.parse(
                "SSH-2.0-OpenSSH_9.2\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
        assertEquals("not an HTTP answer: SSH-2.0-OpenSSH_9.2", notHttp.getMessage());
    }

    @Test
    void talksToARealEngine() {
        EngineApi api = PodmanPeer.shared().api();
        api.ping();
        assertTrue(api.getJson("/version").path("ApiVersion").asText().startsWith("1."));
        assertTrue(api.projectContainers("dftest-no-such-project").isEmpty());
    }

    @Test
    void aDeadSocketIsAnOutsideSystemFailureNamingDockerHost() {
        String host = "unix://" + dir.resolve("dead.sock");
        OutsideSystemException e = assertThrows(OutsideSystemException.class,
                () -> new EngineApi(host, Duration.ofSeconds(2)).ping());
        assertTrue(e.getMessage().contains("DOCKER_HOST=" + host), e.getMessage());
    }

    @Test
    void unsupportedDockerHostsAreBadInput() {
        BadInputException ssh = assertThrows(BadInputException.class,
                () -> new EngineApi("ssh://build@agent", Duration.ofSeconds(1)));
        assertEquals("DOCKER_HOST", ssh.field());
        assertTrue(ssh.getMessage().contains("expected unix:///path/to/docker.sock or tcp://HOST:PORT, got "
                + "ssh://build@agent"), ssh.getMessage());
        BadInputException noPort = assertThrows(BadInputException.class,
                () -> new EngineApi("tcp://127.0.0.1", Duration.ofSeconds(1)));
        assertTrue(noPort.getMessage().contains("expected tcp://HOST:PORT, got tcp://127.0.0.1"), noPort.getMessage());
        BadInputException tls = assertThrows(BadInputException.class, () -> EngineApi.fromEnvironment(Map.of(
                "DOCKER_HOST", "tcp://127.0.0.1:2376", "DOCKER_TLS_VERIFY", "1")));
        assertEquals("DOCKER_TLS_VERIFY", tls.field());
        assertTrue(tls.getMessage().contains("TLS engine connections are not supported"), tls.getMessage());
        assertEquals(EngineApi.DEFAULT_HOST, EngineApi.fromEnvironment(Map.of()).dockerHost());
    }

    private static void frame(ByteArrayOutputStream out, int stream, String text) throws IOException {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        out.write(new byte[] {(byte) stream, 0, 0, 0, 0, 0, (byte) (payload.length >> 8), (byte) payload.length});
        out.write(payload);
    }
}
