/* Reads fonts/fonts.ini: [family.NAME] sections with regular and bold file names, in
 * fallback order, relative to the manifest's directory. */
#include "canvas.h"

#include <ini.h>
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

static int on_key(void *user, const char *section, const char *key, const char *value)
{
    struct manifest *m = user;
    if (strncmp(section, "family.", 7) != 0)
        return 1;
    if (strcmp(section, m->section) != 0) {
        if (m->n == MAX_FAMILIES)
            return 0;
        snprintf(m->section, sizeof m->section, "%s", section);
        snprintf(m->names[m->n], sizeof m->names[0], "%s", section + 7);
        m->n++;
    }
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
    int line = ini_parse(path, on_key, m);
    int rc = 0;
    if (line != 0) {
        kiosk_diags_add(d, KIOSK_SEV_ERROR, path, NULL, line > 0 ? line : 0, 0,
                        line < 0 ? "cannot read the font manifest"
                                 : "expected [family.NAME] with regular = and bold =");
        rc = KIOSK_EIO;
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
