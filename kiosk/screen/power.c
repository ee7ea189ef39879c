#include "power.h"

#include <fcntl.h>
#include <linux/cec.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/timex.h>
#include <unistd.h>

bool kiosk_power_update(struct kiosk_power_ctl *c, time_t now, bool clock_synced)
{
    struct tm t;
    localtime_r(&now, &t);
    c->trust_clock = clock_synced;
    bool want = !clock_synced || kiosk_schedule_on(c->schedule, &t);
    if (!c->started || want != c->on) {
        for (size_t i = 0; i < c->n_outputs; i++)
            c->outputs[i].set(c->outputs[i].ctx, want);
        c->on = want;
        c->started = true;
    }
    return c->on;
}

bool kiosk_clock_synchronised(void)
{
    const char *stand_in = getenv("KIOSK_CLOCK_SYNC_FILE");
    if (stand_in && stand_in[0]) {
        FILE *f = fopen(stand_in, "r");
        int c = f ? fgetc(f) : EOF;
        if (f)
            fclose(f);
        return c == '1';
    }
    struct timex tx = {0};
    int state = adjtimex(&tx);
    if (state == -1) /* ProtectClock= forbids even reading it: ask systemd-timesyncd */
        return access("/run/systemd/timesync/synchronized", F_OK) == 0;
    return state != TIME_ERROR && !(tx.status & STA_UNSYNC);
}

int kiosk_cec_set(void *device_path, bool on)
{
    int fd = open(device_path ? (const char *)device_path : "/dev/cec0", O_RDWR | O_CLOEXEC);
    if (fd < 0)
        return -1;
    /* claim a playback device's logical address if nobody configured one */
    struct cec_log_addrs la = {0};
    if (ioctl(fd, CEC_ADAP_G_LOG_ADDRS, &la) == 0 && la.num_log_addrs == 0) {
        la.cec_version = CEC_OP_CEC_VERSION_1_4;
        la.num_log_addrs = 1;
        la.vendor_id = CEC_VENDOR_ID_NONE;
        la.log_addr_type[0] = CEC_LOG_ADDR_TYPE_PLAYBACK;
        la.primary_device_type[0] = CEC_OP_PRIM_DEVTYPE_PLAYBACK;
        la.all_device_types[0] = CEC_OP_ALL_DEVTYPE_PLAYBACK;
        snprintf(la.osd_name, sizeof la.osd_name, "kiosk");
        ioctl(fd, CEC_ADAP_S_LOG_ADDRS, &la);
    }
    struct cec_msg msg = {0};
    msg.len = 2;
    msg.msg[0] = (uint8_t)((la.log_addr[0] & 0xF) << 4 | CEC_LOG_ADDR_TV);
    msg.msg[1] = on ? CEC_MSG_IMAGE_VIEW_ON : CEC_MSG_STANDBY;
    msg.timeout = 1000;
    int rc = ioctl(fd, CEC_TRANSMIT, &msg);
    close(fd);
    return rc == 0 ? 0 : -1;
}

void kiosk_pixel_shift(time_t now, int width, int height, int *dx, int *dy)
{
    /* eight positions around the centre, one every ten minutes; at most ~0.3% of the
     * screen, too little for anyone to notice, enough to rest the pixels */
    static const int round[8][2] = {{0, 0},  {1, 0},  {1, 1},   {0, 1},
                                    {-1, 1}, {-1, 0}, {-1, -1}, {0, -1}};
    int step = (int)((now / 600) % 8);
    int amp_x = width / 480 > 1 ? width / 480 : 1, amp_y = height / 360 > 1 ? height / 360 : 1;
    *dx = round[step][0] * amp_x;
    *dy = round[step][1] * amp_y;
}
