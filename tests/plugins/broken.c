/* Deliberately broken plugins for the loader's tests. One source, one flaw each, chosen
 * with -DFLAW=...: the loader must refuse each with its own reason and keep going. */
#include "kiosk/plugin.h"

#include <stddef.h>

#if FLAW != 4
static int create_ok(const struct kiosk_host *host, const kiosk_settings *settings, void **self)
{
    (void)host;
    (void)settings;
    static int instance;
    *self = &instance;
    return 0;
}

#else
static int create_fails(const struct kiosk_host *host, const kiosk_settings *settings, void **self)
{
    host->log(host, KIOSK_LOG_ERROR, "this plugin always fails to create");
    (void)settings;
    (void)self;
    return -5;
}
#endif

static void destroy(void *self)
{
    (void)self;
}

__attribute__((unused)) static int render(void *self, kiosk_canvas *c, const struct kiosk_frame *f)
{
    (void)self;
    (void)c;
    (void)f;
    return KIOSK_REDRAW_NEVER;
}

#if FLAW == 1 /* wrong_major: built for ABI 2.0 */
#define ABI ((2 << 16) | 0)
#elif FLAW == 8 /* abi_1_1: an older plugin, whose descriptor ends at settings */
#define ABI ((1 << 16) | 1)
#elif FLAW == 2 /* newer_minor: built for a minor this host does not have */
#define ABI ((KIOSK_PLUGIN_ABI_MAJOR << 16) | (KIOSK_PLUGIN_ABI_MINOR + 1))
#else
#define ABI KIOSK_PLUGIN_ABI_VERSION
#endif

#if FLAW == 3 /* short_struct: claims fewer bytes than the ABI's required fields */
#define SIZE (offsetof(struct kiosk_plugin, create))
#elif FLAW == 8
#define SIZE (offsetof(struct kiosk_plugin, has_content))
#else
#define SIZE sizeof(struct kiosk_plugin)
#endif

#if FLAW == 7 /* bad_settings: a choice without choices */
static const struct kiosk_setting_decl settings[] = {
    {.struct_size = sizeof(struct kiosk_setting_decl),
     .key = "view",
     .type = KIOSK_SETTING_CHOICE,
     .description = "no choices given"},
    {.struct_size = sizeof(struct kiosk_setting_decl), .key = NULL},
};
#endif

static const struct kiosk_plugin plugin = {
    .abi_version = ABI,
    .struct_size = SIZE,
    .name = PLUGIN_NAME,
    .description = "a test plugin",
#if FLAW == 4 /* create_fails */
    .create = create_fails,
#else
    .create = create_ok,
#endif
    .destroy = destroy,
#if FLAW == 5 /* no_render: a required function missing */
    .render = NULL,
#else
    .render = render,
#endif
#if FLAW == 7
    .settings = settings,
#endif
#if FLAW == 8 /* what lies past a 1.1 descriptor: never to be read, never to be called */
    .has_content = (int (*)(void *, const struct kiosk_frame *))1,
    .turn_s = (double (*)(void *, const struct kiosk_frame *))1,
#endif
};

#if FLAW != 6 /* no_entry: the entry symbol is not exported */
KIOSK_PLUGIN_EXPORT const struct kiosk_plugin *kiosk_plugin_entry(void);
KIOSK_PLUGIN_EXPORT
#else
const struct kiosk_plugin *kiosk_plugin_entry(void);
#endif
const struct kiosk_plugin *kiosk_plugin_entry(void)
{
    return &plugin;
}
