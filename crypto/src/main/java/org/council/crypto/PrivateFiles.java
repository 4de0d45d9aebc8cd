package org.council.crypto;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Files holding secrets (the node key, the API token): created owner-only ({@code rw-------})
 * before anything is written into them, synced and moved into place atomically; read only when
 * neither group nor others may access them. Stateless and thread-safe.
 */
final class PrivateFiles {

    private static final Set<PosixFilePermission> OWNER_ONLY =
            EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

    private PrivateFiles() {
    }

    /** Writes {@code text} to a new owner-only file; {@code what} names it in errors ("key file"). */
    static void createNew(Path file, String text, String what) {
        if (Files.exists(file)) {
            throw new CryptoException(what + " " + file + " already exists; refusing to overwrite it");
        }
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = dir.resolve(file.getFileName() + ".tmp");
        try {
            Files.createDirectories(dir);
            Files.deleteIfExists(tmp);
            if (isPosix(dir)) {
                Files.createFile(tmp, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            } else {
                Files.createFile(tmp);
            }
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.write(java.nio.ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
                ch.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException e) {
            throw new CryptoException(what + " " + file + " already exists; refusing to overwrite it", e);
        } catch (IOException e) {
            throw new CryptoException("cannot write " + what + " " + file + ": " + e.getMessage(), e);
        }
    }

    /** The lines of an existing owner-only file. */
    static List<String> readLines(Path file, String what) {
        checkPrivate(file, what);
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new CryptoException(what + " " + file + " does not exist (run `council init` to create one)", e);
        } catch (IOException e) {
            throw new CryptoException("cannot read " + what + " " + file + ": " + e.getMessage(), e);
        }
    }

    private static void checkPrivate(Path file, String what) {
        if (!Files.exists(file) || !isPosix(file)) {
            return;
        }
        Set<PosixFilePermission> perms;
        try {
            perms = Files.getPosixFilePermissions(file);
        } catch (IOException e) {
            throw new CryptoException("cannot read the permissions of " + what + " " + file + ": " + e.getMessage(), e);
        }
        Set<PosixFilePermission> open = EnumSet.copyOf(perms);
        open.removeAll(EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
                PosixFilePermission.OWNER_EXECUTE));
        if (!open.isEmpty()) {
            throw new CryptoException(what + " " + file + " is accessible by other users (mode "
                    + PosixFilePermissions.toString(perms) + "); refusing to use it. "
                    + "Restrict it with `chmod 600 " + file + "` if it was not exposed, or create a new one.");
        }
    }

    private static boolean isPosix(Path path) {
        return Files.getFileAttributeView(path, PosixFileAttributeView.class) != null;
    }
}
