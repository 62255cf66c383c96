/* SPDX-License-Identifier: Apache-2.0 */
/*
 * replay.c - runs a libFuzzer entry point over saved inputs without
 * libFuzzer, so every build (gcc, ASan/UBSan) replays the corpus under ctest.
 *
 * Usage: fuzz_replay_<p> PATH...   (a directory: each regular file in it; a
 * file: that file). Each input is copied into a buffer of exactly its size
 * so a read past the end trips ASan. Exits 1 when a path is missing, a
 * directory holds no inputs, or a file cannot be read, so a lost corpus
 * cannot pass silently; a crash in the target fails the test by itself.
 */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define REPLAY_MAX_INPUT (1u << 20) /* larger files are not fuzz inputs */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Feeds one file to the target. Returns 0 or -1 (message printed). */
static int
run_file(const char *path)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        fprintf(stderr, "fuzz replay: %s: %s\n", path, strerror(errno));
        return -1;
    }
    uint8_t *buf = malloc(REPLAY_MAX_INPUT + 1);
    if (!buf) {
        fclose(fp);
        fprintf(stderr, "fuzz replay: out of memory\n");
        return -1;
    }
    size_t n = fread(buf, 1, REPLAY_MAX_INPUT + 1, fp);
    int bad = ferror(fp);
    fclose(fp);
    if (bad || n > REPLAY_MAX_INPUT) {
        fprintf(stderr, "fuzz replay: %s: %s\n", path, bad ? "read error" : "too large");
        free(buf);
        return -1;
    }
    /* Exactly-sized copy; malloc(0) may return NULL, so keep one byte. */
    uint8_t *in = malloc(n ? n : 1);
    if (!in) {
        free(buf);
        fprintf(stderr, "fuzz replay: out of memory\n");
        return -1;
    }
    if (n)
        memcpy(in, buf, n);
    free(buf);
    LLVMFuzzerTestOneInput(in, n);
    free(in);
    return 0;
}

/* Replays every regular file in dir. Returns the number run, or -1. */
static long
run_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) {
        fprintf(stderr, "fuzz replay: %s: %s\n", dir, strerror(errno));
        return -1;
    }
    long count = 0;
    int failed = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.')
            continue;
        char path[4096];
        struct stat st;
        if (snprintf(path, sizeof(path), "%s/%s", dir, de->d_name) >= (int)sizeof(path)) {
            fprintf(stderr, "fuzz replay: %s/%s: path too long\n", dir, de->d_name);
            failed = 1;
            continue;
        }
        if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
            continue;
        if (run_file(path) != 0)
            failed = 1;
        else
            count++;
    }
    closedir(d);
    if (failed)
        return -1;
    if (count == 0) {
        fprintf(stderr, "fuzz replay: %s: no inputs\n", dir);
        return -1;
    }
    return count;
}

int
main(int argc, char **argv)
{
    long total = 0;
    int failures = 0;
    if (argc < 2) {
        fprintf(stderr, "usage: %s CORPUS_DIR|FILE...\n", argv[0]);
        return 1;
    }
    for (int i = 1; i < argc; i++) {
        struct stat st;
        if (stat(argv[i], &st) != 0) {
            fprintf(stderr, "fuzz replay: %s: %s\n", argv[i], strerror(errno));
            failures++;
        } else if (S_ISDIR(st.st_mode)) {
            long n = run_dir(argv[i]);
            if (n < 0)
                failures++;
            else
                total += n;
        } else if (run_file(argv[i]) != 0) {
            failures++;
        } else {
            total++;
        }
    }
    printf("fuzz replay: %ld inputs, %d failures\n", total, failures);
    return failures ? 1 : 0;
}
