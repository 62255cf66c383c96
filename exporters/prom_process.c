/* SPDX-License-Identifier: Apache-2.0 */
/*
 * prom_process.c - the daemon-wide families of /metrics (from struct
 * snap_daemon) and the process_* families client_golang's process collector
 * would give, read from /proc/self.
 */
#include <dirent.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "exp_int.h"

static void
one(struct exp_buf *b, const char *name, const char *type, const char *help, double v)
{
    exp_family(b, name, type, help);
    exp_buf_puts(b, name);
    exp_buf_putc(b, ' ');
    exp_buf_float(b, v);
    exp_buf_putc(b, '\n');
}

void
exp_prom_daemon(struct exp_buf *b, const struct snap_daemon *d, const char *version)
{
    one(b, "ipmi_collector_database_size_bytes", "gauge", "Size of the SQLite database.",
        (double)d->db_size_bytes);
    one(b, "ipmi_collector_storage_queue_length", "gauge", "Batches waiting for the writer.",
        (double)d->storage_queue_len);
    one(b, "ipmi_collector_storage_dropped_total", "counter",
        "Batches dropped because the storage queue was full.", (double)d->storage_dropped);
    one(b, "ipmi_collector_storage_write_errors_total", "counter", "Failed database writes.",
        (double)d->storage_write_errors);
    one(b, "ipmi_collector_config_reloads_total", "counter", "Configuration reloads attempted.",
        (double)d->reloads);
    one(b, "ipmi_collector_config_reload_failures_total", "counter",
        "Configuration reloads refused (the old configuration stays).", (double)d->reload_failures);
    one(b, "ipmi_collector_config_last_reload_successful", "gauge",
        "1 if the last configuration load succeeded, else 0.", d->last_reload_ok ? 1 : 0);
    one(b, "ipmi_collector_targets", "gauge", "Targets configured.", (double)d->targets);
    one(b, "ipmi_collector_poller_threads", "gauge", "Poller threads.", d->poller_threads);
    exp_family(b, "ipmi_collector_build_info", "gauge", "Build version (constant 1).");
    exp_buf_puts(b, "ipmi_collector_build_info{");
    exp_buf_label(b, 1, "version", version ? version : "");
    exp_buf_puts(b, "} 1\n");
}

/* /proc/self/stat fields after the command name, as client_golang's procfs reads them. */
void
exp_prom_process(struct exp_buf *b)
{
    char buf[1024];
    FILE *fp = fopen("/proc/self/stat", "r");
    if (!fp)
        return;
    size_t n = fread(buf, 1, sizeof(buf) - 1, fp);
    fclose(fp);
    buf[n] = '\0';
    const char *p = strrchr(buf, ')'); /* the name may hold spaces and parentheses */
    unsigned long utime = 0, stime = 0, vsize = 0;
    unsigned long long start = 0;
    long rss = 0;
    if (!p || sscanf(p + 2,
                     "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu %*d %*d %*d %*d %*d "
                     "%*d %llu %lu %ld",
                     &utime, &stime, &start, &vsize, &rss) != 5)
        return;
    double hz = (double)sysconf(_SC_CLK_TCK);
    double page = (double)sysconf(_SC_PAGESIZE);
    one(b, "process_cpu_seconds_total", "counter", "User and system CPU time, in seconds.",
        (double)(utime + stime) / hz);
    one(b, "process_resident_memory_bytes", "gauge", "Resident memory size.", (double)rss * page);
    one(b, "process_virtual_memory_bytes", "gauge", "Virtual memory size.", (double)vsize);

    size_t fds = 0;
    DIR *dir = opendir("/proc/self/fd");
    if (dir) {
        struct dirent *e;
        while ((e = readdir(dir)) != NULL)
            fds += e->d_name[0] != '.';
        closedir(dir);
        one(b, "process_open_fds", "gauge", "Open file descriptors.", (double)(fds - 1));
    }
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0)
        one(b, "process_max_fds", "gauge", "Limit on open file descriptors.", (double)rl.rlim_cur);

    /* Start time: boot time (btime in /proc/stat) plus the start tick count. */
    fp = fopen("/proc/stat", "r");
    if (!fp)
        return;
    unsigned long long btime = 0;
    char line[256];
    while (fgets(line, sizeof(line), fp))
        if (sscanf(line, "btime %llu", &btime) == 1)
            break;
    fclose(fp);
    if (btime)
        one(b, "process_start_time_seconds", "gauge", "Start time of the process (Unix time).",
            (double)btime + (double)start / hz);
}
