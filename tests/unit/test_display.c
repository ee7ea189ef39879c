/* The display and the screens plugged in: the kernel's connectors read from a folder that
 * stands in for /sys/class/drm, what the kiosk does when they change, and a display closed
 * and opened again in one process (SDL's offscreen driver). */
#include "helpers.h"

#include "screen/display.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static char drm[64];

static int setup(void **state)
{
    (void)state;
    return make_temp_dir(drm, sizeof drm, "drm");
}

static int teardown(void **state)
{
    (void)state;
    return remove_tree(drm);
}

static void reads_the_connectors(void **state)
{
    (void)state;
    struct kiosk_connectors c;
    kiosk_connectors_read(drm, &c);
    assert_int_equal(c.n, 0);           /* an empty folder: nothing known */
    fake_connector(drm, "card0", NULL); /* the GPU itself, and its render node: not connectors */
    fake_connector(drm, "renderD128", NULL);
    fake_connector(drm, "version", NULL);
    fake_connector(drm, "card0-HDMI-A-1", "connected");
    fake_connector(drm, "card0-HDMI-A-2", "disconnected");
    fake_connector(drm, "card0-Composite-1", "unknown"); /* cannot tell: a screen may be there */
    kiosk_connectors_read(drm, &c);
    assert_int_equal(c.n, 3);
    assert_int_equal(c.connected, 2);
    struct kiosk_connectors none;
    kiosk_connectors_read("/nonexistent/drm", &none);
    assert_int_equal(none.n, 0);
    assert_int_equal(none.connected, 0);
}

static void the_fingerprint_follows_the_screen(void **state)
{
    (void)state;
    fake_connector(drm, "card1-HDMI-A-1", "connected");
    fake_connector(drm, "card1-HDMI-A-2", "disconnected");
    struct kiosk_connectors a, b, c;
    kiosk_connectors_read(drm, &a);
    /* the same screen moved to the other port: as many connected, another fingerprint */
    fake_connector(drm, "card1-HDMI-A-1", "disconnected");
    fake_connector(drm, "card1-HDMI-A-2", "connected");
    kiosk_connectors_read(drm, &b);
    assert_int_equal(a.connected, b.connected);
    assert_int_not_equal(a.fingerprint, b.fingerprint);
    /* read again, unchanged: the same fingerprint */
    kiosk_connectors_read(drm, &c);
    assert_int_equal(b.fingerprint, c.fingerprint);
}

static void decides_what_to_do(void **state)
{
    (void)state;
    struct kiosk_connectors unknown = {0}, one = {.n = 2, .connected = 1, .fingerprint = 11},
                            other = {.n = 2, .connected = 1, .fingerprint = 22},
                            none = {.n = 2, .connected = 0, .fingerprint = 0};
    /* the kernel tells nothing (X11 in a VM): only retries, while closed */
    assert_int_equal(kiosk_display_decide(true, &unknown, &unknown, true), KIOSK_DISPLAY_KEEP);
    assert_int_equal(kiosk_display_decide(false, &unknown, &unknown, false), KIOSK_DISPLAY_KEEP);
    assert_int_equal(kiosk_display_decide(false, &unknown, &unknown, true), KIOSK_DISPLAY_OPEN);
    /* open */
    assert_int_equal(kiosk_display_decide(true, &one, &one, false), KIOSK_DISPLAY_KEEP);
    assert_int_equal(kiosk_display_decide(true, &one, &none, false), KIOSK_DISPLAY_CLOSE);
    assert_int_equal(kiosk_display_decide(true, &one, &other, false), KIOSK_DISPLAY_REOPEN);
    /* closed */
    assert_int_equal(kiosk_display_decide(false, &none, &none, true), KIOSK_DISPLAY_KEEP);
    assert_int_equal(kiosk_display_decide(false, &none, &one, false), KIOSK_DISPLAY_OPEN);
    assert_int_equal(kiosk_display_decide(false, &one, &one, false), KIOSK_DISPLAY_KEEP);
    assert_int_equal(kiosk_display_decide(false, &one, &one, true), KIOSK_DISPLAY_OPEN);
}

static void opens_closes_and_opens_again(void **state)
{
    (void)state;
    setenv("SDL_VIDEODRIVER", "offscreen", 1);
    struct kiosk_fonts *fonts = NULL;
    struct kiosk_diags d = {0};
    assert_int_equal(kiosk_fonts_from_manifest(KIOSK_BUILD_DATADIR "/fonts", &fonts, &d), 0);
    assert_int_equal(SDL_Init(SDL_INIT_EVENTS), 0);
    FILE *log = fopen("/dev/null", "w");
    struct kiosk_display_options o = {
        .renderer = "software", .windowed = true, .w = 640, .h = 360, .fonts = fonts};
    struct kiosk_display scr = {.bg = 0xFF102030};
    for (int round = 0; round < 3; round++) {
        assert_int_equal(kiosk_display_open(&scr, &o, log), 0);
        assert_true(kiosk_display_is_open(&scr));
        assert_int_equal(scr.w, 640);
        assert_int_equal(scr.h, 360);
        assert_int_equal(scr.hz >= 24 && scr.hz <= 240, 1);
        assert_non_null(scr.canvas);
        assert_non_null(scr.tex[0]);
        assert_null(scr.tex[1]);              /* one picture at rest */
        assert_int_equal(scr.bg, 0xFF102030); /* the theme's colour survives a reopen */
        kiosk_canvas *c = kiosk_display_begin(&scr, 0);
        assert_non_null(c);
        kiosk_canvas_clear(c, 0xFF336699);
        kiosk_display_end(&scr, 0);
        kiosk_display_present(&scr, 0, 0, true);
        /* a transition: the next picture exists while it runs, and is released after */
        assert_non_null(kiosk_display_begin(&scr, 1));
        kiosk_display_end(&scr, 1);
        assert_non_null(scr.tex[1]);
        kiosk_display_present(&scr, 0, 0.5, false);
        kiosk_display_present(&scr, 0, 0.5, true);
        kiosk_display_present(&scr, 1, 0, true);
        assert_null(scr.tex[0]);
        assert_non_null(scr.tex[1]);
        /* what was drawn is what the renderer shows */
        Uint32 px = 0;
        SDL_Rect one = {scr.w / 2, scr.h / 2, 1, 1};
        c = kiosk_display_begin(&scr, 1);
        kiosk_canvas_clear(c, 0xFF336699);
        kiosk_display_end(&scr, 1);
        kiosk_display_present(&scr, 1, 0, true);
        assert_int_equal(SDL_RenderReadPixels(scr.renderer, &one, SDL_PIXELFORMAT_ARGB8888, &px, 4),
                         0);
        assert_int_equal(px & 0xFFFFFF, 0x336699);
        /* a new size: new canvases of that size */
        SDL_SetWindowSize(scr.window, 800, 450);
        assert_int_equal(kiosk_display_fit(&scr, fonts), 0);
        assert_int_equal(scr.w, 800);
        kiosk_display_black(&scr);
        /* DPMS is for KMSDRM's screens: elsewhere nothing is done and it says so */
        int done = -1;
        assert_int_equal(kiosk_display_dpms(&scr, false, &done), -1);
        assert_int_equal(done, 0);
        kiosk_display_close(&scr);
        assert_false(kiosk_display_is_open(&scr));
        /* SDL's video is stopped, so the next open sees the screens anew */
        assert_int_equal(SDL_WasInit(SDL_INIT_VIDEO), 0);
        assert_int_not_equal(SDL_WasInit(SDL_INIT_EVENTS), 0);
        kiosk_display_close(&scr); /* twice is harmless */
        kiosk_display_black(&scr);
    }
    /* no driver to open: an error, and the display stays closed */
    setenv("SDL_VIDEODRIVER", "nosuchdriver", 1);
    assert_int_equal(kiosk_display_open(&scr, &o, log), -1);
    assert_false(kiosk_display_is_open(&scr));
    assert_true(strlen(SDL_GetError()) > 0);
    fclose(log);
    SDL_Quit();
    kiosk_fonts_close(fonts);
    kiosk_diags_free(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(reads_the_connectors),
        cmocka_unit_test(the_fingerprint_follows_the_screen),
        cmocka_unit_test(decides_what_to_do),
        cmocka_unit_test(opens_closes_and_opens_again),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
