#include "cli.h"

#include <errno.h>
#include <stdlib.h>

void cli_print_diags(FILE *f, const struct kiosk_diags *d)
{
    char line[2048];
    for (size_t i = 0; i < d->count; i++)
        fprintf(f, "%s\n", kiosk_diag_format(&d->items[i], line, sizeof line));
    if (d->dropped)
        fprintf(f, "... and %zu more problems\n", d->dropped);
}

int cli_parse_size(const char *s, size_t *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || end == s || s[0] == '-')
        return -1;
    unsigned long long mult = 1;
    if (*end == 'K' || *end == 'k')
        mult = 1024, end++;
    else if (*end == 'M' || *end == 'm')
        mult = 1024 * 1024, end++;
    else if (*end == 'G' || *end == 'g')
        mult = 1024ULL * 1024 * 1024, end++;
    if (*end == 'i' && mult > 1)
        end++;
    if (*end == 'B')
        end++;
    if (*end || v == 0 || v > (1ULL << 40) / mult)
        return -1;
    *out = (size_t)(v * mult);
    return 0;
}
