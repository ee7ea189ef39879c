/* Reads fonts/fonts.ini: [family.NAME] sections with regular and bold file names, in
 * fallback order, relative to the manifest's directory. */
#include "canvas.h"

#include "core/ini.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FAMILIES 8

struct manifest {
    const char *dir;
    struct kiosk_font_family fam[MAX_FAMILIES];
    char names[MAX_FAMILIES][64], regular[MAX_FAMILIES][4200], bold[MAX_FAMILIES][4200];
    size_t n;
    char section[256];
};

static int on_section(void *user, const char *section, int line)
{
    (void)line;
    struct manifest *m = user;
    snprintf(m->section, sizeof m->section, "%s", section);
    if (strncmp(section, "family.", 7) != 0)
        return 1;
    if (m->n == MAX_FAMILIES)
        return 0;
    snprintf(m->names[m->n], sizeof m->names[0], "%s", section + 7);
    m->n++;
    return 1;
}

static int on_key(void *user, const char *key, const char *value, int line)
{
    (void)line;
    struct manifest *m = user;
    if (strncmp(m->section, "family.", 7) != 0 || !m->n)
        return 1;
    size_t i = m->n - 1;
    if (strcmp(key, "regular") == 0)
        snprintf(m->regular[i], sizeof m->regular[0], "%s/%s", m->dir, value);
    else if (strcmp(key, "bold") == 0)
        snprintf(m->bold[i], sizeof m->bold[0], "%s/%s", m->dir, value);
    return 1;
}

int kiosk_fonts_from_manifest(const char *dir, struct kiosk_fonts **out, struct kiosk_diags *d)
{
    struct manifest *m = calloc(1, sizeof *m);
    char path[4200];
    if (!m)
        return KIOSK_ENOMEM;
    m->dir = dir;
    snprintf(path, sizeof path, "%s/fonts.ini", dir);
    static const struct kiosk_ini_handler handler = {.section = on_section, .key = on_key};
    char why[512];
    int line, lines;
    int rc = kiosk_ini_read(path, &handler, m, &line, &lines, why, sizeof why);
    if (rc == 1) {
        kiosk_diags_add(d, KIOSK_SEV_ERROR, path, NULL, lines, 0, "at most %d font families",
                        MAX_FAMILIES);
        rc = KIOSK_ESCHEMA;
    } else if (rc) {
        kiosk_diags_add(d, KIOSK_SEV_ERROR, path, NULL, line, 0, "%s", why);
    }
    for (size_t i = 0; !rc && i < m->n; i++) {
        if (!m->regular[i][0] || !m->bold[i][0]) {
            kiosk_diags_add(d, KIOSK_SEV_ERROR, path, NULL, 0, 0,
                            "[family.%s]: expected both regular = and bold =", m->names[i]);
            rc = KIOSK_ESCHEMA;
        }
        m->fam[i] = (struct kiosk_font_family){
            .name = m->names[i], .regular = m->regular[i], .bold = m->bold[i]};
    }
    if (!rc && m->n == 0) {
        kiosk_diags_add(d, KIOSK_SEV_ERROR, path, NULL, 0, 0, "names no font family");
        rc = KIOSK_ESCHEMA;
    }
    if (!rc)
        rc = kiosk_fonts_open(m->fam, m->n, out, d);
    free(m);
    return rc;
}
