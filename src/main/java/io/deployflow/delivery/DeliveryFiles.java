package io.deployflow.delivery;

import io.deployflow.core.BadInputException;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reading the delivery's input files, each failure named as bad input (exit 2) before anything is touched. */
final class DeliveryFiles {
    private DeliveryFiles() {
    }

    static byte[] readBytes(Path file, String what) {
        if (!Files.isRegularFile(file)) {
            throw new BadInputException(file.toString(), 0, null, what + " not found");
        }
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new BadInputException(file.toString(), 0, null, "cannot read " + what + ": " + e.getMessage());
        }
    }

    static String readText(Path file, String what) {
        byte[] bytes = readBytes(file, what);
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new BadInputException(file.toString(), 0, null, what + " is not UTF-8 text");
        }
    }
}
