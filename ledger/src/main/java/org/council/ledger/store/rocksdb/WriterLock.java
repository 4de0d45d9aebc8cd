package org.council.ledger.store.rocksdb;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.council.ledger.store.LedgerException;
import org.council.ledger.store.LedgerInUseException;

/**
 * A lock file the read-write store holds for its lifetime, so that a read-only open can tell that
 * a node is running. RocksDB's read-only mode takes no lock and would open a ledger that a running
 * node is writing (seeing whatever was durable when it opened, and failing later if compaction
 * removes its files); probing RocksDB's own {@code LOCK} file from Java is unsafe, because releasing
 * a POSIX lock in this process would also release the one RocksDB holds here.
 *
 * <p>Java file locks conflict across processes (the OS lock) and within this JVM
 * ({@link OverlappingFileLockException}), which covers a CLI and a node in one test JVM too.
 */
final class WriterLock {

    static final String FILE = "COUNCIL-WRITER.lock";
    private static final int ATTEMPTS = 100;

    private WriterLock() {
    }

    /** Takes the lock for a read-write store; retries briefly while a read-only open probes it. */
    static AutoCloseable take(Path dir) throws IOException {
        FileChannel channel = FileChannel.open(dir.resolve(FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
                FileLock lock = tryLock(channel);
                if (lock != null) {
                    return () -> {
                        lock.release();
                        channel.close();
                    };
                }
                Thread.sleep(10);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        channel.close();
        throw new LedgerInUseException("ledger at " + dir + " is in use by another process (" + FILE + " is locked)",
                null);
    }

    /** Refuses when a read-write store holds the ledger in {@code dir}. */
    static void refuseIfHeld(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new LedgerException("no ledger at " + dir);
        }
        try (FileChannel channel = FileChannel.open(dir.resolve(FILE), StandardOpenOption.WRITE)) {
            FileLock lock = tryLock(channel);
            if (lock == null) {
                throw new LedgerInUseException("ledger at " + dir + " is in use by another process (a running node"
                        + " holds " + FILE + ")", null);
            }
            lock.release();
        } catch (NoSuchFileException e) {
            // never opened for writing by this version: no node of it is running there
        } catch (IOException e) {
            // cannot probe (e.g. a read-only copy): nothing can be writing it through us either
        }
    }

    private static FileLock tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException e) {
            return null; // held by another channel of this JVM
        }
    }
}
