/* notice: an announcement, a title and a body of plain UTF-8 text as a technician writes
 * it in the config (a value over several lines, each going on with "| "):
 *   - each line is a paragraph; an empty line leaves a gap;
 *   - a line starting "- " is a bullet;
 *   - **words** between double stars are bold.
 * The body is set as large as the slide allows, wrapped at spaces, and shrunk until all of
 * it fits: never clipped (a word longer than the line shrinks on its own).
 *
 * Settings: the table at the end of this file. */
#include "kiosk/plugin.h"
#include "kiosk/slide.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A piece of text drawn in one go: a word, or the part of one on one side of a "**". */
struct piece {
    size_t at, len; /* in the text copy */
    bool bold;
    bool glue;      /* joined to the piece before it, no space between */
    bool paragraph; /* starts a line of the text */
    bool bullet;    /* starts a bullet line */
    bool gap;       /* an empty line before it */
};

struct notice {
    const struct kiosk_host *host;
    const char *title;
    char *text; /* the body, its pieces pointing into it */
    struct piece *pieces;
    size_t n;
    int for_w, for_h; /* the canvas the size below was found for */
    float px;
    bool from_source; /* the body is the slide's own source (source = URL), not `text` */
    uint64_t serial;  /* of the source's bytes cut last */
};

#define SOURCE_TEXT_MAX (64 * 1024) /* a notice longer than this could not be read anyway */

static void cut(struct notice *nt, const char *body)
{
    free(nt->text);
    free(nt->pieces);
    nt->text = NULL;
    nt->pieces = NULL;
    nt->n = 0;
    nt->for_w = nt->for_h = 0; /* a new text: its size is found again */
    size_t len = strlen(body);
    nt->text = malloc(len + 1);
    nt->pieces = calloc(len + 1, sizeof *nt->pieces); /* never more pieces than bytes */
    if (!nt->text || !nt->pieces)
        return;
    memcpy(nt->text, body, len + 1);
    bool gap = false;
    for (size_t i = 0; i <= len;) {
        /* a line's start: an empty line leaves a gap, "- " makes a bullet */
        size_t j = i;
        while (body[j] == ' ' || body[j] == '\t')
            j++;
        if (body[j] == '\n') {
            gap = true;
            i = j + 1;
            continue;
        }
        if (body[j] == '\0')
            break;
        bool bullet = body[j] == '-' && (body[j + 1] == ' ' || body[j + 1] == '\t');
        if (bullet)
            j += 2;
        bool para = true, bold = false, glue = false;
        size_t start = j;
        for (;; j++) {
            char ch = body[j];
            bool star = ch == '*' && body[j + 1] == '*';
            if (ch != ' ' && ch != '\t' && ch != '\n' && ch != '\0' && !star)
                continue;
            if (j > start) {
                nt->pieces[nt->n++] = (struct piece){.at = start,
                                                     .len = j - start,
                                                     .bold = bold,
                                                     .glue = glue && !para,
                                                     .paragraph = para,
                                                     .bullet = para && bullet,
                                                     .gap = para && gap};
                if (para)
                    gap = false;
                para = false;
            }
            if (ch == '\n' || ch == '\0')
                break;
            if (star) {
                bold = !bold;
                /* "**CCCD**," : the comma sticks to the word it follows */
                glue = j > start || (j > 0 && body[j - 1] != ' ' && body[j - 1] != '\t');
                j++;
                start = j + 1;
                continue;
            }
            glue = false;
            start = j + 1;
        }
        if (body[j] == '\0')
            break;
        i = j + 1;
    }
}

static int create(const struct kiosk_host *host, const kiosk_settings *settings, void **self)
{
    struct notice *nt = calloc(1, sizeof *nt);
    if (!nt)
        return -1;
    nt->host = host;
    nt->title = host->setting_string(settings, "title", "");
    const char *text = host->setting_string(settings, "text", "");
    struct kiosk_source_view v = {.struct_size = sizeof v};
    host->source_data(host, &v);
    nt->from_source = !text[0] && v.url; /* the text comes from there, now or later */
    if (!text[0] && !nt->title[0] && !nt->from_source) {
        host->log(host, KIOSK_LOG_ERROR,
                  "text: expected the notice's text (or a title, or source = URL)");
        free(nt);
        return -1;
    }
    cut(nt, text);
    if (!nt->text || !nt->pieces) {
        free(nt->text);
        free(nt->pieces);
        free(nt);
        return -1;
    }
    *self = nt;
    return 0;
}

static void destroy(void *self)
{
    struct notice *nt = self;
    free(nt->text);
    free(nt->pieces);
    free(nt);
}

/* Sets the body at px in a column of width w from (x, y); returns the height it takes
 * (measure_only: nothing drawn). */
static float body(struct notice *nt, kiosk_canvas *c, float x, float y, float w, float px,
                  int measure_only)
{
    const struct kiosk_host *h = nt->host;
    struct kiosk_text_style reg = kiosk_style(h, px, 0, KIOSK_COLOR_TEXT);
    struct kiosk_text_style bold = kiosk_style(h, px, 1, KIOSK_COLOR_TEXT);
    float step = px * 1.3f, space = 0, indent = px * 1.2f, top = y, cx = 0, left = 0;
    h->measure_text(c, &reg, "a a", &space, NULL);
    float aa = 0;
    h->measure_text(c, &reg, "aa", &aa, NULL);
    space -= aa;
    char word[1024];
    bool first = true;
    for (size_t i = 0; i < nt->n; i++) {
        const struct piece *p = &nt->pieces[i];
        size_t n = p->len < sizeof word - 1 ? p->len : sizeof word - 1;
        memcpy(word, nt->text + p->at, n);
        word[n] = '\0';
        struct kiosk_text_style st = p->bold ? bold : reg;
        float ww = 0;
        h->measure_text(c, &st, word, &ww, NULL);
        if (p->paragraph) {
            if (!first)
                y += step + (p->gap ? step * 0.6f : step * 0.25f);
            else if (p->gap)
                y += step * 0.6f;
            first = false;
            left = p->bullet ? indent : 0;
            cx = left;
            if (p->bullet && !measure_only)
                h->fill_circle(c, x + indent * 0.4f, y + px * 0.62f, px * 0.14f,
                               h->theme_color(h, KIOSK_COLOR_ACCENT));
        } else {
            float before = p->glue ? 0 : space;
            if (cx + before + ww > w && cx > left) {
                y += step; /* wrapped */
                cx = left;
            } else {
                cx += before;
            }
        }
        if (ww > w - left) { /* longer than a line: shrunk to it */
            st.max_width = w - left;
            ww = w - left;
        }
        if (!measure_only)
            h->draw_text(c, &st, x + cx, y, word);
        cx += ww;
    }
    return first ? 0 : y + step - top;
}

/* The body from the slide's own source, cut again when its bytes changed: plain UTF-8 text
 * as `text` takes it, up to its first NUL byte, at most SOURCE_TEXT_MAX bytes. */
static void follow_source(struct notice *nt)
{
    const struct kiosk_host *h = nt->host;
    struct kiosk_source_view v = {.struct_size = sizeof v};
    if (!nt->from_source || h->source_data(h, &v) != 0 || v.serial == nt->serial)
        return;
    size_t n = v.size < SOURCE_TEXT_MAX ? v.size : SOURCE_TEXT_MAX;
    const char *nul = memchr(v.bytes, '\0', n);
    if (nul)
        n = (size_t)(nul - (const char *)v.bytes);
    char *copy = malloc(n + 1);
    if (!copy)
        return; /* the text before stays */
    memcpy(copy, v.bytes, n);
    copy[n] = '\0';
    cut(nt, copy);
    free(copy);
    if (!nt->text || !nt->pieces) {
        cut(nt, "");
        return;
    }
    nt->serial = v.serial;
}

/* A notice from a source has something to show once its text came. */
static int has_content(void *self, const struct kiosk_frame *f)
{
    (void)f;
    struct notice *nt = self;
    follow_source(nt);
    return nt->title[0] || nt->n > 0;
}

static int render(void *self, kiosk_canvas *c, const struct kiosk_frame *f)
{
    struct notice *nt = self;
    follow_source(nt);
    const struct kiosk_host *h = nt->host;
    float s = f->scale, pad = 64 * s, W = (float)f->width, H = (float)f->height;
    float y = nt->title[0] ? kiosk_draw_title(h, c, f, nt->title, NULL) + 16 * s : pad;
    float room = H - y - 32 * s, w = W - 2 * pad, px = 72 * s;
    /* as large as fits (at most 72 px at scale 1), found by halving the range, and kept for
     * the canvas's size: a long notice is measured a dozen times, once */
    if (nt->for_w == f->width && nt->for_h == f->height) {
        px = nt->px;
    } else if (body(nt, c, pad, y, w, px, 1) > room) {
        float lo = 0.5f, hi = px;
        for (int i = 0; i < 16; i++) {
            float mid = (lo + hi) / 2;
            if (body(nt, c, pad, y, w, mid, 1) > room)
                hi = mid;
            else
                lo = mid;
        }
        px = lo; /* never clipped, however small that makes it */
        if (px < 30 * s)
            h->log(h, KIOSK_LOG_WARNING,
                   "text: too long to read from afar on a %dx%d slide: it fits at %.0f px, "
                   "less than the %.0f px a wall screen needs; shorten it or share it among "
                   "several notice slides",
                   f->width, f->height, px, 30 * s);
    }
    nt->for_w = f->width;
    nt->for_h = f->height;
    nt->px = px;
    body(nt, c, pad, y, w, px, 0);
    return KIOSK_REDRAW_NEVER;
}

static const struct kiosk_setting_decl settings[] = {
    KIOSK_SETTING_STRING("title", NULL, "the notice's title"),
    KIOSK_SETTING_STRING("text", NULL,
                         "the notice: a paragraph a line (| lines go on), \"- \" bullets, "
                         "**bold**; without it, the slide's own source = URL gives the text"),
    KIOSK_SETTINGS_END,
};

KIOSK_PLUGIN_DEFINE_WITH_CONTENT("notice", "An announcement: a title and wrapped text", create,
                                 destroy, render, settings, has_content)
