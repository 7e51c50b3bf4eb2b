import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Opcodes;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Enumeration;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Build step (run by the pom right after the shaded jar is made): rewrites the jar's pre-Java-6 class files as Java 8
 * class files with stack map frames, so the class-data sharing archive can hold them.
 * <p>
 * Why: picocli and slf4j ship class files of version 49 (Java 5). Java 17's class-data sharing refuses those ("Pre
 * JDK 6 class not supported by CDS"), so every step's JVM read, parsed and verified about 200 picocli classes from
 * the jar with the old verifier: ~50 ms of every command. Version 52 with frames computed by ASM is what javac would
 * have written for the same code; nothing else in the class changes.
 * <p>
 * Usage: {@code java -cp asm.jar src/build/java/OldClassFilesUpgrade.java target/deployflow.jar}. A class whose
 * frames cannot be computed (JSR/RET subroutines) is left as it was and named; the jar works either way.
 */
public final class OldClassFilesUpgrade {
    private static final int JAVA_6 = 50;

    private OldClassFilesUpgrade() {
    }

    public static void main(String[] args) throws IOException {
        Path jar = Path.of(args[0]);
        Path tmp = jar.resolveSibling(jar.getFileName() + ".upgrading");
        int upgraded = 0;
        try (ZipFile in = new ZipFile(jar.toFile());
             URLClassLoader classes = new URLClassLoader(new URL[] {jar.toUri().toURL()},
                     ClassLoader.getPlatformClassLoader());
             ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(tmp))) {
            for (Enumeration<? extends ZipEntry> entries = in.entries(); entries.hasMoreElements(); ) {
                ZipEntry entry = entries.nextElement();
                byte[] bytes;
                try (InputStream content = in.getInputStream(entry)) {
                    bytes = content.readAllBytes();
                }
                if (entry.getName().endsWith(".class") && majorVersion(bytes) < JAVA_6) {
                    byte[] rewritten = upgrade(bytes, classes, entry.getName());
                    upgraded += rewritten == bytes ? 0 : 1;
                    bytes = rewritten;
                }
                ZipEntry copy = new ZipEntry(entry.getName());
                copy.setTime(entry.getTime());
                out.putNextEntry(copy);
                out.write(bytes);
                out.closeEntry();
            }
        }
        Files.move(tmp, jar, StandardCopyOption.REPLACE_EXISTING);
        System.out.println("class files upgraded to Java 8 for class-data sharing: " + upgraded);
    }

    private static int majorVersion(byte[] classFile) {
        return (classFile[6] & 0xff) << 8 | classFile[7] & 0xff;
    }

    /** @param classes resolves the common super class of two types when frames are merged (loaded, not initialised) */
    private static byte[] upgrade(byte[] classFile, ClassLoader classes, String name) {
        ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_FRAMES) {
            @Override
            protected ClassLoader getClassLoader() {
                return classes;
            }
        };
        ClassVisitor toJava8 = new ClassVisitor(Opcodes.ASM9, writer) {
            @Override
            public void visit(int version, int access, String type, String signature, String superName,
                              String[] interfaces) {
                super.visit(Opcodes.V1_8, access, type, signature, superName, interfaces);
            }
        };
        try {
            new ClassReader(classFile).accept(toJava8, ClassReader.SKIP_FRAMES);
            return writer.toByteArray();
        } catch (RuntimeException e) {
            System.out.println("left as Java 5 (not archived): " + name + ": " + e);
            return classFile;
        }
    }
}
