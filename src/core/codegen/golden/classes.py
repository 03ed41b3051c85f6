# Conv: 'autopad' is not a function a module description may call


# Depth-wise convolution: a Conv with groups = gcd(c1, c2).
class DWConv(Conv):
    def __init__(self, c1, c2, k=1, s=1, d=1, act=True):
        super().__init__(c1, c2, k, s, None, math.gcd(c1, c2), d, act)


# Ghost convolution: half the channels from a Conv, half from a cheap 5x5 depth-wise Conv of them.
class GhostConv(nn.Module):
    def __init__(self, c1, c2, k=1, s=1, g=1, act=True):
        super().__init__()
        c_ = c2 // 2
        self.cv1 = Conv(c1, c_, k, s, None, g, 1, act)
        self.cv2 = Conv(c_, c_, 5, 1, None, c_, 1, act)

    def forward(self, x):
        y = self.cv1(x)
        z = self.cv2(y)
        o = torch.cat([y, z], 1)
        return o


# Slices every second pixel into channels (4x channels, half the size), then a Conv.
class Focus(nn.Module):
    def __init__(self, c1, c2, k=1, s=1, p=None, g=1, act=True):
        super().__init__()
        self.conv = Conv(c1 * 4, c2, k, s, p, g, 1, act)

    def forward(self, x):
        f = torch.cat((x[..., ::2, ::2], x[..., 1::2, ::2], x[..., ::2, 1::2], x[..., 1::2, 1::2]), 1)
        y = self.conv(f)
        return y


# Cross convolution: a 1xk Conv then a kx1 Conv, with an optional residual.
class CrossConv(nn.Module):
    def __init__(self, c1, c2, k=3, s=1, g=1, e=1.0, shortcut=False):
        super().__init__()
        c_ = int(c2 * e)
        self.cv1 = Conv(c1, c_, [1, k], [1, s])
        self.cv2 = Conv(c_, c2, [k, 1], [s, 1], None, g)
        self.c1, self.c2, self.shortcut = c1, c2, shortcut

    def forward(self, x):
        c1, c2, shortcut = self.c1, self.c2, self.shortcut
        _last = x
        y = self.cv1(x)
        _last = y
        z = self.cv2(_last)
        _last = z
        if shortcut and c1 == c2:
            r = x + z
            _last = r
        return _last


# A 1x1 Conv then a 3x3 Conv, plus the input when c1 == c2 and shortcut is on.
class Bottleneck(nn.Module):
    def __init__(self, c1, c2, shortcut=True, g=1, e=0.5):
        super().__init__()
        c_ = int(c2 * e)
        self.cv1 = Conv(c1, c_, 1, 1)
        self.cv2 = Conv(c_, c2, 3, 1, None, g)
        self.c1, self.c2, self.shortcut = c1, c2, shortcut

    def forward(self, x):
        c1, c2, shortcut = self.c1, self.c2, self.shortcut
        _last = x
        h = self.cv1(x)
        _last = h
        y = self.cv2(_last)
        _last = y
        if shortcut and c1 == c2:
            r = x + y
            _last = r
        return _last


# The original CSP bottleneck: n Bottlenecks, a plain-conv bypass, batch norm over both, then a Conv.
class BottleneckCSP(nn.Module):
    def __init__(self, c1, c2, n=1, shortcut=True, g=1, e=0.5):
        super().__init__()
        c_ = int(c2 * e)
        self.cv1 = Conv(c1, c_, 1, 1)
        self.cv2 = nn.Conv2d(c1, c_, 1, 1, bias=False)
        self.m = nn.Sequential(*(Bottleneck(c_, c_, shortcut, g, 1) for _ in range(n)))
        self.cv3 = nn.Conv2d(c_, c_, 1, 1, bias=False)
        self.bn = nn.BatchNorm2d(2 * c_)
        self.act = nn.SiLU()
        self.cv4 = Conv(2 * c_, c2, 1, 1)

    def forward(self, x):
        a = self.cv1(x)
        b = self.cv2(x)
        m = self.m(a)
        d = self.cv3(m)
        c = torch.cat([d, b], 1)
        n_ = self.bn(c)
        s_ = self.act(n_)
        y = self.cv4(s_)
        return y


# CSP bottleneck with 3 convolutions: n Bottlenecks on half the channels, concatenated with a bypass.
class C3(nn.Module):
    def __init__(self, c1, c2, n=1, shortcut=True, g=1, e=0.5):
        super().__init__()
        c_ = int(c2 * e)
        self.cv1 = Conv(c1, c_, 1, 1)
        self.cv2 = Conv(c1, c_, 1, 1)
        self.m = nn.Sequential(*(Bottleneck(c_, c_, shortcut, g, 1) for _ in range(n)))
        self.cv3 = Conv(2 * c_, c2, 1)

    def forward(self, x):
        a = self.cv1(x)
        b = self.cv2(x)
        m = self.m(a)
        c = torch.cat([m, b], 1)
        y = self.cv3(c)
        return y


# C3 with cross convolutions (CrossConv) as its inner blocks.
class C3x(nn.Module):
    def __init__(self, c1, c2, n=1, shortcut=True, g=1, e=0.5):
        super().__init__()
        c_ = int(c2 * e)
        self.cv1 = Conv(c1, c_, 1, 1)
        self.cv2 = Conv(c1, c_, 1, 1)
        self.m = nn.Sequential(*(CrossConv(c_, c_, 3, 1, g, 1, shortcut) for _ in range(n)))
        self.cv3 = Conv(2 * c_, c2, 1)

    def forward(self, x):
        a = self.cv1(x)
        b = self.cv2(x)
        m = self.m(a)
        c = torch.cat([m, b], 1)
        y = self.cv3(c)
        return y


# C3 with a transformer block (4 heads, n layers) as its inside.
class C3TR(nn.Module):
    def __init__(self, c1, c2, n=1, shortcut=True, g=1, e=0.5):
        super().__init__()
        c_ = int(c2 * e)
        self.cv1 = Conv(c1, c_, 1, 1)
        self.cv2 = Conv(c1, c_, 1, 1)
        self.m = TransformerBlock(c_, c_, 4, n)
        self.cv3 = Conv(2 * c_, c2, 1)

    def forward(self, x):
        a = self.cv1(x)
        b = self.cv2(x)
        m = self.m(a)
        c = torch.cat([m, b], 1)
        y = self.cv3(c)
        return y


# C3 with spatial pyramid pooling (SPP) as its inside.
class C3SPP(nn.Module):
    def __init__(self, c1, c2, k=[5, 9, 13], n=1, shortcut=True, g=1, e=0.5):
        super().__init__()
        c_ = int(c2 * e)
        self.cv1 = Conv(c1, c_, 1, 1)
        self.cv2 = Conv(c1, c_, 1, 1)
        self.m = SPP(c_, c_, k)
        self.cv3 = Conv(2 * c_, c2, 1)

    def forward(self, x):
        a = self.cv1(x)
        b = self.cv2(x)
        m = self.m(a)
        c = torch.cat([m, b], 1)
        y = self.cv3(c)
        return y


# C3 with Ghost bottlenecks as its inner blocks.
class C3Ghost(nn.Module):
    def __init__(self, c1, c2, n=1, shortcut=True, g=1, e=0.5):
        super().__init__()
        c_ = int(c2 * e)
        self.cv1 = Conv(c1, c_, 1, 1)
        self.cv2 = Conv(c1, c_, 1, 1)
        self.m = nn.Sequential(*(GhostBottleneck(c_, c_) for _ in range(n)))
        self.cv3 = Conv(2 * c_, c2, 1)

    def forward(self, x):
        a = self.cv1(x)
        b = self.cv2(x)
        m = self.m(a)
        c = torch.cat([m, b], 1)
        y = self.cv3(c)
        return y


# Ghost bottleneck: GhostConv, (depth-wise Conv when stride 2), GhostConv, plus a shortcut.
class GhostBottleneck(nn.Module):
    def __init__(self, c1, c2, k=3, s=1):
        super().__init__()
        c_ = c2 // 2
        self.conv = nn.Sequential()
        self.conv.add_module(str(0), GhostConv(c1, c_, 1, 1))
        if s == 2:
            self.conv.add_module(str(1), DWConv(c_, c_, k, s, 1, False))
        if s != 2:
            self.conv.add_module(str(1), nn.Identity())
        self.conv.add_module(str(2), GhostConv(c_, c2, 1, 1, 1, False))
        if s == 2:
            if not hasattr(self, 'shortcut'):
                self.shortcut = nn.Sequential()
            self.shortcut.add_module(str(0), DWConv(c1, c1, k, s, 1, False))
        if s == 2:
            if not hasattr(self, 'shortcut'):
                self.shortcut = nn.Sequential()
            self.shortcut.add_module(str(1), Conv(c1, c2, 1, 1, None, 1, 1, False))
        if s != 2:
            self.shortcut = nn.Identity()
        if not (s == 2 or c1 == 2 * c_):
            raise ValueError('GhostBottleneck({c1}, {c2}) with stride {s} adds its input ({c1} channels) to {2 * c_} channels: PyTorch fails; use c1 == c2 (even) or stride 2')
        self.s = s

    def forward(self, x):
        s = self.s
        a = getattr(self.conv, str(0))(x)
        if s == 2:
            b = getattr(self.conv, str(1))(a)
        if s != 2:
            b = getattr(self.conv, str(1))(a)
        y = getattr(self.conv, str(2))(b)
        if s == 2:
            d = getattr(self.shortcut, str(0))(x)
        if s == 2:
            sc = getattr(self.shortcut, str(1))(d)
        if s != 2:
            sc = self.shortcut(x)
        o = y + sc
        return o


# Res2Net block: a 1x1 Conv into `scale` groups, a 3x3 Conv per group fed by the previous group, concat, 1x1 Conv, shortcut, SiLU.
class Bottle2neck(nn.Module):
    def __init__(self, inplanes, planes, shortcut, baseWidth=26, scale=4):
        super().__init__()
        width = math.floor(planes * (baseWidth / 64))
        nums = 1 if scale == 1 else scale - 1
        if not (scale >= 1):
            raise ValueError("Bottle2neck's scale must be a whole number of at least 1, got {scale}")
        if not (width >= 1):
            raise ValueError("Bottle2neck's group width floor({planes} * {baseWidth} / 64) is 0: use more channels")
        if not (not shortcut or inplanes == planes):
            raise ValueError('Bottle2neck({inplanes}, {planes}) adds its {inplanes}-channel input to {planes} channels: PyTorch fails (out += residual); use inplanes == planes or shortcut=False')
        self.conv1 = Conv(inplanes, width * scale, 1)
        self.convs = nn.ModuleList()
        for i in range(nums):
            self.convs.append(Conv(width, width, 3))
        self.conv3 = Conv(width * scale, planes, 1, 1, None, 1, 1, False)
        self.silu = nn.SiLU()
        self.shortcut, self.scale, self.width, self.nums = shortcut, scale, width, nums

    def forward(self, x):
        shortcut, scale, width, nums = self.shortcut, self.scale, self.width, self.nums
        s, c = {}, {}
        out = self.conv1(x)
        spx = torch.split(out, width, 1)
        for i in range(nums):
            if i == 0:
                s[i] = spx[0]
            if i > 0:
                s[i] = c[i - 1] + spx[i]
            c[i] = self.convs[i](s[i])
        if scale != 1:
            y = torch.cat([*[c[j] for j in range(nums)], spx[nums]], 1)
        if scale == 1:
            y = c[0]
        z = self.conv3(y)
        if shortcut:
            r = z + x
        if not shortcut:
            r = z
        o = self.silu(r)
        return o


# C3 whose inner blocks are Res2Net Bottle2necks (the seed's module).
class C3_Res2Block(nn.Module):
    def __init__(self, c1, c2, n=1, shortcut=True, g=1, e=0.5):
        super().__init__()
        c_ = int(c2 * e)
        self.cv1 = Conv(c1, c_, 1, 1)
        self.cv2 = Conv(c1, c_, 1, 1)
        self.m = nn.Sequential(*(Bottle2neck(c_, c_, shortcut) for _ in range(n)))
        self.cv3 = Conv(2 * c_, c2, 1)

    def forward(self, x):
        a = self.cv1(x)
        b = self.cv2(x)
        m = self.m(a)
        c = torch.cat([m, b], 1)
        y = self.cv3(c)
        return y


# Spatial pyramid pooling: max pools of several sizes in parallel, concatenated, between two Convs.
class SPP(nn.Module):
    def __init__(self, c1, c2, k=[5, 9, 13]):
        super().__init__()
        c_ = c1 // 2
        self.cv1 = Conv(c1, c_, 1, 1)
        self.m = nn.ModuleList()
        for i in range(len(k)):
            self.m.append(nn.MaxPool2d(k[i], 1, k[i] // 2))
        self.cv2 = Conv(c_ * (len(k) + 1), c2, 1, 1)
        self.k = k

    def forward(self, x):
        k = self.k
        p = {}
        y = self.cv1(x)
        for i in range(len(k)):
            p[i] = self.m[i](y)
        c = torch.cat([y, *[p[i] for i in range(len(k))]], 1)
        z = self.cv2(c)
        return z


# Fast SPP: one max pool applied three times in a row, the four stages concatenated, between two Convs.
class SPPF(nn.Module):
    def __init__(self, c1, c2, k=5):
        super().__init__()
        c_ = c1 // 2
        self.cv1 = Conv(c1, c_, 1, 1)
        self.m = nn.MaxPool2d(k, 1, k // 2)
        self.cv2 = Conv(c_ * 4, c2, 1, 1)

    def forward(self, x):
        y = self.cv1(x)
        y1 = self.m(y)
        y2 = self.m(y1)
        y3 = self.m(y2)
        c = torch.cat([y, y1, y2, y3], 1)
        z = self.cv2(c)
        return z


# nn.MaxPool2d: nn.MaxPool2d: not a valid Python class name


# nn.Upsample: nn.Upsample: not a valid Python class name


# nn.ConvTranspose2d: nn.ConvTranspose2d: not a valid Python class name


# Depth-wise transposed convolution: groups = gcd(c1, c2), with a bias.
class DWConvTranspose2d(nn.ConvTranspose2d):
    def __init__(self, c1, c2, k=1, s=1, p1=0, p2=0):
        super().__init__(c1, c2, k, s, p1, p2, math.gcd(c1, c2))


# nn.ZeroPad2d: nn.ZeroPad2d: not a valid Python class name


# nn.BatchNorm2d: nn.BatchNorm2d: not a valid Python class name


# Mask prototypes: a 3x3 Conv, 2x upsampling, a 3x3 Conv and a 1x1 Conv to the mask count.
class Proto(nn.Module):
    def __init__(self, c1, c_=256, c2=32):
        super().__init__()
        self.cv1 = Conv(c1, c_, 3)
        self.upsample = nn.Upsample(None, 2, 'nearest')
        self.cv2 = Conv(c_, c_, 3)
        self.cv3 = Conv(c_, c2)

    def forward(self, x):
        a = self.cv1(x)
        u = self.upsample(a)
        b = self.cv2(u)
        y = self.cv3(b)
        return y


# Squeeze-and-excitation channel attention (Hu et al.), global pooling and a bottleneck of two 1x1 convolutions.
class SE(nn.Module):
    def __init__(self, c1, c2, r=16):
        super().__init__()
        c_ = max(c1 // r, 8)
        if not (c1 == c2):
            raise ValueError('SE: SE keeps its channels: its output channels must equal its input channels')
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.fc1 = nn.Conv2d(c1, c_, 1)
        self.relu = nn.ReLU()
        self.fc2 = nn.Conv2d(c_, c1, 1)
        self.sigmoid = nn.Sigmoid()

    def forward(self, x):
        s = self.avgpool(x)
        f1 = self.fc1(s)
        r_ = self.relu(f1)
        f2 = self.fc2(r_)
        g = self.sigmoid(f2)
        y = x * g
        return y


# Convolutional block attention (Woo et al.), channel attention from average and max pooling, then spatial attention from a 7x7 convolution.
class CBAM(nn.Module):
    def __init__(self, c1, c2, r=16, k=7):
        super().__init__()
        c_ = max(c1 // r, 1)
        if not (c1 == c2):
            raise ValueError('CBAM: CBAM keeps its channels: its output channels must equal its input channels')
        self.avg_pool = nn.AdaptiveAvgPool2d(1)
        self.max_pool = nn.AdaptiveMaxPool2d(1)
        self.f1 = nn.Conv2d(c1, c_, 1, 1, 0, 1, 1, False)
        self.relu = nn.ReLU()
        self.f2 = nn.Conv2d(c_, c1, 1, 1, 0, 1, 1, False)
        self.sigmoid_c = nn.Sigmoid()
        self.conv = nn.Conv2d(2, 1, k, 1, k // 2, 1, 1, False)
        self.sigmoid_s = nn.Sigmoid()

    def forward(self, x):
        a = self.avg_pool(x)
        m = self.max_pool(x)
        a1 = self.f1(a)
        a2 = self.relu(a1)
        a3 = self.f2(a2)
        m1 = self.f1(m)
        m2 = self.relu(m1)
        m3 = self.f2(m2)
        ca = a3 + m3
        cw = self.sigmoid_c(ca)
        y1 = x * cw
        sm = torch.mean(y1, 1, keepdim=True)
        sx = torch.amax(y1, 1, keepdim=True)
        s = torch.cat([sm, sx], 1)
        sc = self.conv(s)
        sw = self.sigmoid_s(sc)
        y = y1 * sw
        return y


# Coordinate attention (Hou et al.), pooling along height and width, a shared 1x1 conv, then per-direction gates. conv1 and bn1 apply to both strips with shared weights.
class CoordAtt(nn.Module):
    def __init__(self, c1, c2, r=32):
        super().__init__()
        mip = max(8, c1 // r)
        if not (c1 == c2):
            raise ValueError('CoordAtt: CoordAtt keeps its channels: its output channels must equal its input channels')
        self.pool_h = nn.AdaptiveAvgPool2d((None, 1))
        self.pool_w = nn.AdaptiveAvgPool2d((1, None))
        self.conv1 = nn.Conv2d(c1, mip, 1)
        self.bn1 = nn.BatchNorm2d(mip)
        self.act = nn.Hardswish()
        self.conv_h = nn.Conv2d(mip, c2, 1)
        self.conv_w = nn.Conv2d(mip, c2, 1)

    def forward(self, x):
        xh = self.pool_h(x)
        xw = self.pool_w(x)
        h1 = self.conv1(xh)
        h2 = self.bn1(h1)
        h3 = self.act(h2)
        w1 = self.conv1(xw)
        w2 = self.bn1(w1)
        w3 = self.act(w2)
        ah = self.conv_h(h3)
        aw = self.conv_w(w3)
        gh = torch.sigmoid(ah)
        gw = torch.sigmoid(aw)
        y1 = x * gw
        y = y1 * gh
        return y


# One 1x1 Conv, then n 3x3 Convs added back to it.
class C1(nn.Module):
    def __init__(self, c1, c2, n=1):
        super().__init__()
        self.cv1 = Conv(c1, c2, 1, 1)
        self.m = nn.Sequential(*(Conv(c2, c2, 3) for _ in range(n)))

    def forward(self, x):
        a = self.cv1(x)
        m = self.m(a)
        y = m + a
        return y


# CSP bottleneck with 2 convolutions; n bottlenecks on one half of the channels.
class C2(nn.Module):
    def __init__(self, c1, c2, n=1, shortcut=True, g=1, e=0.5):
        super().__init__()
        c = int(c2 * e)
        self.cv1 = Conv(c1, 2 * c, 1, 1)
        self.m = nn.Sequential(*(Bottleneck(c, c, shortcut, g, [[3, 3], [3, 3]], 1) for _ in range(n)))
        self.cv2 = Conv(2 * c, c2, 1)

    def forward(self, x):
        a = self.cv1(x)
        p = torch.chunk(a, 2, 1)
        m = self.m(p[0])
        cat = torch.cat([m, p[1]], 1)
        y = self.cv2(cat)
        return y


# Faster CSP bottleneck (YOLOv8) - the 1x1 Conv's output split in two, n bottlenecks chained on the second half, every piece concatenated into a 1x1 Conv.
class C2f(nn.Module):
    def __init__(self, c1, c2, n=1, shortcut=False, g=1, e=0.5):
        super().__init__()
        c = int(c2 * e)
        self.cv1 = Conv(c1, 2 * c, 1, 1)
        self.m = nn.ModuleList()
        for i in range(n):
            self.m.append(Bottleneck(c, c, shortcut, g, [[3, 3], [3, 3]], 1))
        self.cv2 = Conv((2 + n) * c, c2, 1)
        self.n = n

    def forward(self, x):
        n = self.n
        b = {}
        a = self.cv1(x)
        p = torch.chunk(a, 2, 1)
        for i in range(n):
            b[i] = self.m[i](p[-1])
        cat = torch.cat([p[0], p[1], *[b[i] for i in range(n)]], 1)
        y = self.cv2(cat)
        return y


# C3 with k x k bottlenecks (the inner block of C3k2 and A2C2f).
class C3k(nn.Module):
    def __init__(self, c1, c2, n=1, shortcut=True, g=1, e=0.5, k=3):
        super().__init__()
        c_ = int(c2 * e)
        self.cv1 = Conv(c1, c_, 1, 1)
        self.cv2 = Conv(c1, c_, 1, 1)
        self.m = nn.Sequential(*(Bottleneck(c_, c_, shortcut, g, [k, k], 1) for _ in range(n)))
        self.cv3 = Conv(2 * c_, c2, 1)

    def forward(self, x):
        a = self.cv1(x)
        b = self.cv2(x)
        m = self.m(a)
        cat = torch.cat([m, b], 1)
        y = self.cv3(cat)
        return y


# C2f (YOLO11) whose inner blocks are Bottlenecks, or C3k blocks when c3k is on (forced on for scales m, l and x).
class C3k2(nn.Module):
    def __init__(self, c1, c2, n=1, c3k=False, e=0.5, g=1, shortcut=True):
        super().__init__()
        c = int(c2 * e)
        self.cv1 = Conv(c1, 2 * c, 1, 1)
        for i in range(n):
            if c3k:
                if not hasattr(self, 'm'):
                    self.m = nn.ModuleList()
                self.m.add_module(str(i), C3k(c, c, 2, shortcut, g))
        for i in range(n):
            if not c3k:
                if not hasattr(self, 'm'):
                    self.m = nn.ModuleList()
                self.m.add_module(str(i), Bottleneck(c, c, shortcut, g))
        self.cv2 = Conv((2 + n) * c, c2, 1)
        self.n, self.c3k = n, c3k

    def forward(self, x):
        n, c3k = self.n, self.c3k
        b = {}
        _last = x
        a = self.cv1(x)
        _last = a
        p = torch.chunk(_last, 2, 1)
        _last = p[-1]
        for i in range(n):
            if c3k:
                b[i] = getattr(self.m, str(i))(_last)
                _last = b[i]
        for i in range(n):
            if not c3k:
                b[i] = getattr(self.m, str(i))(_last)
                _last = b[i]
        cat = torch.cat([p[0], p[1], *[b[i] for i in range(n)]], 1)
        _last = cat
        y = self.cv2(_last)
        _last = y
        return _last


# Transposed convolution + batch norm + activation (SiLU, ConvTranspose's own default).
class ConvTranspose(nn.Module):
    def __init__(self, c1, c2, k=2, s=2, p=0, bn=True, act=True):
        super().__init__()
        self.conv_transpose = nn.ConvTranspose2d(c1, c2, k, s, p, 0, 1, not bn)
        if bn:
            self.bn = nn.BatchNorm2d(c2)
        if not bn:
            self.bn = nn.Identity()
        self.act = (nn.SiLU() if act is True else act if isinstance(act, nn.Module) else nn.Identity())
        self.__bn = bn

    def forward(self, x):
        bn = self.__bn
        _last = x
        t = self.conv_transpose(x)
        _last = t
        if bn:
            b = self.bn(_last)
            _last = b
        if not bn:
            b = self.bn(_last)
            _last = b
        y = self.act(_last)
        _last = y
        return _last


# Conv plus a parallel 1x1 convolution, summed before the batch norm (RepConv-style, fusable).
class Conv2(nn.Module):
    def __init__(self, c1, c2, k=3, s=1, p=None, g=1, d=1, act=True):
        super().__init__()
        self.conv = nn.Conv2d(c1, c2, k, s, (d * (k - 1) + 1) // 2 if p == None else p, d, g, False)
        self.cv2 = nn.Conv2d(c1, c2, 1, s, 0 if p == None else p, d, g, False)
        self.bn = nn.BatchNorm2d(c2)
        self.act = (Conv.default_act if act is True else act if isinstance(act, nn.Module) else nn.Identity())

    def forward(self, x):
        a = self.conv(x)
        c = self.cv2(x)
        sum = a + c
        n = self.bn(sum)
        y = self.act(n)
        return y


# RepVGG block - a 3x3 and a 1x1 Conv (and the input's batch norm when bn) summed, then the activation; fused into one 3x3 convolution for inference.
class RepConv(nn.Module):
    def __init__(self, c1, c2, k=3, s=1, p=1, g=1, d=1, act=True, bn=False, deploy=False):
        super().__init__()
        idb = bn and c2 == c1 and s == 1
        if not (k == 3 and p == 1):
            raise ValueError('RepConv: RepConv needs k=3 and p=1 (an assert in Ultralytics)')
        if idb:
            self.bn = nn.BatchNorm2d(c1)
        self.conv1 = Conv(c1, c2, k, s, p, g, 1, False)
        self.conv2 = Conv(c1, c2, 1, s, p - k // 2, g, 1, False)
        self.act = (nn.SiLU() if act is True else act if isinstance(act, nn.Module) else nn.Identity())
        self.idb = idb

    def forward(self, x):
        idb = self.idb
        if idb:
            i = self.bn(x)
        a = self.conv1(x)
        b = self.conv2(x)
        if idb:
            sum = a + b + i
        if not idb:
            sum = a + b
        y = self.act(sum)
        return y


# A 1x1 Conv without activation, then a depth-wise k x k Conv (HGBlock's light block).
class LightConv(nn.Module):
    def __init__(self, c1, c2, k=1, act=nn.ReLU()):
        super().__init__()
        self.conv1 = Conv(c1, c2, 1, 1, None, 1, 1, False)
        self.conv2 = DWConv(c2, c2, k, 1, 1, act)

    def forward(self, x):
        a = self.conv1(x)
        y = self.conv2(a)
        return y


# Bottleneck whose first convolution is a RepConv.
class RepBottleneck(nn.Module):
    def __init__(self, c1, c2, shortcut=True, g=1, k=[3, 3], e=0.5):
        super().__init__()
        c_ = int(c2 * e)
        self.cv1 = RepConv(c1, c_, k[0], 1)
        self.cv2 = Conv(c_, c2, k[1], 1, None, g)
        self.c1, self.c2, self.shortcut = c1, c2, shortcut

    def forward(self, x):
        c1, c2, shortcut = self.c1, self.c2, self.shortcut
        _last = x
        a = self.cv1(x)
        _last = a
        b = self.cv2(_last)
        _last = b
        if shortcut and c1 == c2:
            y = x + b
            _last = y
        return _last


# C3 with RepBottlenecks.
class RepCSP(nn.Module):
    def __init__(self, c1, c2, n=1, shortcut=True, g=1, e=0.5):
        super().__init__()
        c_ = int(c2 * e)
        self.cv1 = Conv(c1, c_, 1, 1)
        self.cv2 = Conv(c1, c_, 1, 1)
        self.m = nn.Sequential(*(RepBottleneck(c_, c_, shortcut, g, [3, 3], 1) for _ in range(n)))
        self.cv3 = Conv(2 * c_, c2, 1)

    def forward(self, x):
        a = self.cv1(x)
        b = self.cv2(x)
        m = self.m(a)
        cat = torch.cat([m, b], 1)
        y = self.cv3(cat)
        return y


# RT-DETR's CSP block - n RepConvs on one branch added to a 1x1 Conv branch, then a 1x1 Conv when the widths differ.
class RepC3(nn.Module):
    def __init__(self, c1, c2, n=3, e=1.0):
        super().__init__()
        c_ = int(c2 * e)
        self.cv1 = Conv(c1, c_, 1, 1)
        self.cv2 = Conv(c1, c_, 1, 1)
        self.m = nn.Sequential(*(RepConv(c_, c_) for _ in range(n)))
        if c_ != c2:
            self.cv3 = Conv(c_, c2, 1, 1)
        if c_ == c2:
            self.cv3 = nn.Identity()
        self.c2, self.c_ = c2, c_

    def forward(self, x):
        c2, c_ = self.c2, self.c_
        _last = x
        a = self.cv1(x)
        _last = a
        b = self.cv2(x)
        _last = b
        m = self.m(a)
        _last = m
        sum = m + b
        _last = sum
        if c_ != c2:
            y = self.cv3(_last)
            _last = y
        if c_ == c2:
            y = self.cv3(_last)
            _last = y
        return _last


# YOLOv9's GELAN block - a 1x1 Conv split in two, two RepCSP + 3x3 Conv stages chained on the second half, all four pieces concatenated into a 1x1 Conv.
class RepNCSPELAN4(nn.Module):
    def __init__(self, c1, c2, c3, c4, n=1):
        super().__init__()
        self.cv1 = Conv(c1, c3, 1, 1)
        self.cv2 = nn.Sequential()
        self.cv2.add_module(str(0), RepCSP(c3 // 2, c4, n))
        self.cv2.add_module(str(1), Conv(c4, c4, 3, 1))
        self.cv3 = nn.Sequential()
        self.cv3.add_module(str(0), RepCSP(c4, c4, n))
        self.cv3.add_module(str(1), Conv(c4, c4, 3, 1))
        self.cv4 = Conv(c3 + 2 * c4, c2, 1, 1)

    def forward(self, x):
        a = self.cv1(x)
        p = torch.chunk(a, 2, 1)
        b1 = getattr(self.cv2, str(0))(p[1])
        b = getattr(self.cv2, str(1))(b1)
        c1_ = getattr(self.cv3, str(0))(b)
        c = getattr(self.cv3, str(1))(c1_)
        cat = torch.cat([p[0], p[1], b, c], 1)
        y = self.cv4(cat)
        return y


# YOLOv9-t's light ELAN block - as RepNCSPELAN4 with plain 3x3 Convs for its two stages.
class ELAN1(nn.Module):
    def __init__(self, c1, c2, c3, c4):
        super().__init__()
        self.cv1 = Conv(c1, c3, 1, 1)
        self.cv2 = Conv(c3 // 2, c4, 3, 1)
        self.cv3 = Conv(c4, c4, 3, 1)
        self.cv4 = Conv(c3 + 2 * c4, c2, 1, 1)

    def forward(self, x):
        a = self.cv1(x)
        p = torch.chunk(a, 2, 1)
        b = self.cv2(p[1])
        c = self.cv3(b)
        cat = torch.cat([p[0], p[1], b, c], 1)
        y = self.cv4(cat)
        return y


# YOLOv9's downsampling - a 2x2 average pool (stride 1), then a 3x3 stride-2 Conv.
class AConv(nn.Module):
    def __init__(self, c1, c2):
        super().__init__()
        self.cv1 = Conv(c1, c2, 3, 2, 1)

    def forward(self, x):
        p = F.avg_pool2d(x, 2, 1, 0, False, True)
        y = self.cv1(p)
        return y


# YOLOv9's downsampling - a 2x2 average pool, then one half through a 3x3 stride-2 Conv and the other through a 3x3 stride-2 max pool and a 1x1 Conv.
class ADown(nn.Module):
    def __init__(self, c1, c2):
        super().__init__()
        c = c2 // 2
        self.cv1 = Conv(c1 // 2, c, 3, 2, 1)
        self.cv2 = Conv(c1 // 2, c, 1, 1, 0)

    def forward(self, x):
        p = F.avg_pool2d(x, 2, 1, 0, False, True)
        h = torch.chunk(p, 2, 1)
        a = self.cv1(h[0])
        m = F.max_pool2d(h[1], 3, 2, 1)
        b = self.cv2(m)
        y = torch.cat([a, b], 1)
        return y


# YOLOv9's SPP-ELAN - a 1x1 Conv, three chained k x k max pools, the four concatenated into a 1x1 Conv.
class SPPELAN(nn.Module):
    def __init__(self, c1, c2, c3, k=5):
        super().__init__()
        self.cv1 = Conv(c1, c3, 1, 1)
        self.cv2 = nn.MaxPool2d(k, 1, k // 2)
        self.cv3 = nn.MaxPool2d(k, 1, k // 2)
        self.cv4 = nn.MaxPool2d(k, 1, k // 2)
        self.cv5 = Conv(4 * c3, c2, 1, 1)

    def forward(self, x):
        a = self.cv1(x)
        b = self.cv2(a)
        c = self.cv3(b)
        d = self.cv4(c)
        cat = torch.cat([a, b, c, d], 1)
        y = self.cv5(cat)
        return y


# YOLOv10's downsampling - a 1x1 Conv, then a depth-wise k x k Conv of stride s.
class SCDown(nn.Module):
    def __init__(self, c1, c2, k, s):
        super().__init__()
        self.cv1 = Conv(c1, c2, 1, 1)
        self.cv2 = Conv(c2, c2, k, s, None, c2, 1, False)

    def forward(self, x):
        a = self.cv1(x)
        y = self.cv2(a)
        return y


# Depth-wise 7x7 and 3x3 Convs summed, then SiLU (YOLOv10's large-kernel block).
class RepVGGDW(nn.Module):
    def __init__(self, ed):
        super().__init__()
        self.conv = Conv(ed, ed, 7, 1, 3, ed, 1, False)
        self.conv1 = Conv(ed, ed, 3, 1, 1, ed, 1, False)
        self.act = nn.SiLU()

    def forward(self, x):
        a = self.conv(x)
        b = self.conv1(x)
        sum = a + b
        y = self.act(sum)
        return y


# YOLOv10's compact inverted block - depth-wise 3x3, 1x1, depth-wise 3x3 (or RepVGGDW), 1x1, depth-wise 3x3; the input added when shortcut and c1 == c2.
class CIB(nn.Module):
    def __init__(self, c1, c2, shortcut=True, e=0.5, lk=False):
        super().__init__()
        c_ = int(c2 * e)
        self.cv1 = nn.Sequential()
        self.cv1.add_module(str(0), Conv(c1, c1, 3, 1, None, c1))
        self.cv1.add_module(str(1), Conv(c1, 2 * c_, 1))
        if lk:
            self.cv1.add_module(str(2), RepVGGDW(2 * c_))
        if not lk:
            self.cv1.add_module(str(2), Conv(2 * c_, 2 * c_, 3, 1, None, 2 * c_))
        self.cv1.add_module(str(3), Conv(2 * c_, c2, 1))
        self.cv1.add_module(str(4), Conv(c2, c2, 3, 1, None, c2))
        self.c1, self.c2, self.shortcut, self.lk = c1, c2, shortcut, lk

    def forward(self, x):
        c1, c2, shortcut, lk = self.c1, self.c2, self.shortcut, self.lk
        _last = x
        a = getattr(self.cv1, str(0))(x)
        _last = a
        b = getattr(self.cv1, str(1))(_last)
        _last = b
        if lk:
            c = getattr(self.cv1, str(2))(_last)
            _last = c
        if not lk:
            c = getattr(self.cv1, str(2))(_last)
            _last = c
        d = getattr(self.cv1, str(3))(_last)
        _last = d
        e_ = getattr(self.cv1, str(4))(_last)
        _last = e_
        if shortcut and c1 == c2:
            y = x + e_
            _last = y
        return _last


# C2f whose inner blocks are CIBs (YOLOv10).
class C2fCIB(nn.Module):
    def __init__(self, c1, c2, n=1, shortcut=False, lk=False, g=1, e=0.5):
        super().__init__()
        c = int(c2 * e)
        self.cv1 = Conv(c1, 2 * c, 1, 1)
        self.m = nn.ModuleList()
        for i in range(n):
            self.m.append(CIB(c, c, shortcut, 1, lk))
        self.cv2 = Conv((2 + n) * c, c2, 1)
        self.n = n

    def forward(self, x):
        n = self.n
        b = {}
        a = self.cv1(x)
        p = torch.chunk(a, 2, 1)
        for i in range(n):
            b[i] = self.m[i](p[-1])
        cat = torch.cat([p[0], p[1], *[b[i] for i in range(n)]], 1)
        y = self.cv2(cat)
        return y


# Multi-head self-attention over the positions, with 1x1 Convs for q, k, v (keys and queries narrower) and a depth-wise 3x3 Conv as position encoding.
class Attention(nn.Module):
    def __init__(self, dim, num_heads=8, attn_ratio=0.5):
        super().__init__()
        head_dim = dim // num_heads if num_heads > 0 else 0
        key_dim = int(head_dim * attn_ratio)
        nh_kd = key_dim * num_heads
        h = dim + nh_kd * 2
        if not (num_heads > 0):
            raise ValueError('Attention: Attention needs at least one head (PSA blocks use c // 64 heads: use 64 channels or more)')
        self.qkv = Conv(dim, h, 1, 1, None, 1, 1, False)
        self.pe = Conv(dim, dim, 3, 1, None, dim, 1, False)
        self.proj = Conv(dim, dim, 1, 1, None, 1, 1, False)
        self.num_heads, self.head_dim, self.key_dim = num_heads, head_dim, key_dim

    def forward(self, x):
        num_heads, head_dim, key_dim = self.num_heads, self.head_dim, self.key_dim
        qkv = self.qkv(x)
        t = qkv.reshape(qkv.shape[0], *[num_heads, key_dim * 2 + head_dim, -1])
        s = torch.split(t, [key_dim, key_dim, head_dim], 2)
        a = (s[0].transpose(-2, -1) @ s[1])
        as_ = (a * (key_dim ** -0.5))
        p = as_.softmax(-1)
        o = (s[2] @ p.transpose(-2, -1))
        o2 = o.view_as(x)
        v2 = s[2].view_as(x)
        pe = self.pe(v2)
        sum = o2 + pe
        y = self.proj(sum)
        return y


# Attention then a two-Conv feed-forward, each added back to its input when shortcut.
class PSABlock(nn.Module):
    def __init__(self, c, attn_ratio=0.5, num_heads=4, shortcut=True):
        super().__init__()
        self.attn = Attention(c, num_heads, attn_ratio)
        self.ffn = nn.Sequential()
        self.ffn.add_module(str(0), Conv(c, c * 2, 1))
        self.ffn.add_module(str(1), Conv(c * 2, c, 1, 1, None, 1, 1, False))
        self.shortcut = shortcut

    def forward(self, x):
        shortcut = self.shortcut
        _last = x
        a = self.attn(x)
        _last = a
        if shortcut:
            a2 = x + a
            _last = a2
        f1 = getattr(self.ffn, str(0))(_last)
        _last = f1
        f2 = getattr(self.ffn, str(1))(_last)
        _last = f2
        if shortcut:
            y = a2 + f2
            _last = y
        return _last


# Position-sensitive attention (YOLOv10) - a 1x1 Conv split in two, attention and a feed-forward on one half, concatenated back into a 1x1 Conv.
class PSA(nn.Module):
    def __init__(self, c1, c2, e=0.5):
        super().__init__()
        c = int(c1 * e)
        if not (c1 == c2):
            raise ValueError('PSA: PSA keeps its channels: its output channels must equal its input channels (an assert in Ultralytics)')
        self.cv1 = Conv(c1, 2 * c, 1, 1)
        self.attn = Attention(c, c // 64, 0.5)
        self.ffn = nn.Sequential()
        self.ffn.add_module(str(0), Conv(c, c * 2, 1))
        self.ffn.add_module(str(1), Conv(c * 2, c, 1, 1, None, 1, 1, False))
        self.cv2 = Conv(2 * c, c1, 1)
        self.c = c

    def forward(self, x):
        c = self.c
        a = self.cv1(x)
        p = torch.split(a, [c, c], 1)
        t = self.attn(p[1])
        b = p[1] + t
        f1 = getattr(self.ffn, str(0))(b)
        f2 = getattr(self.ffn, str(1))(f1)
        b2 = b + f2
        cat = torch.cat([p[0], b2], 1)
        y = self.cv2(cat)
        return y


# YOLO11's attention block - a 1x1 Conv split in two, n PSABlocks on one half, concatenated back into a 1x1 Conv.
class C2PSA(nn.Module):
    def __init__(self, c1, c2, n=1, e=0.5):
        super().__init__()
        c = int(c1 * e)
        if not (c1 == c2):
            raise ValueError('C2PSA: C2PSA keeps its channels: its output channels must equal its input channels (an assert in Ultralytics)')
        self.cv1 = Conv(c1, 2 * c, 1, 1)
        self.m = nn.Sequential(*(PSABlock(c, 0.5, c // 64) for _ in range(n)))
        self.cv2 = Conv(2 * c, c1, 1)
        self.c = c

    def forward(self, x):
        c = self.c
        a = self.cv1(x)
        p = torch.split(a, [c, c], 1)
        m = self.m(p[1])
        cat = torch.cat([p[0], m], 1)
        y = self.cv2(cat)
        return y


# C2f whose inner blocks are PSABlocks.
class C2fPSA(nn.Module):
    def __init__(self, c1, c2, n=1, e=0.5):
        super().__init__()
        c = int(c2 * e)
        if not (c1 == c2):
            raise ValueError('C2fPSA: C2fPSA keeps its channels: its output channels must equal its input channels (an assert in Ultralytics)')
        self.cv1 = Conv(c1, 2 * c, 1, 1)
        self.m = nn.ModuleList()
        for i in range(n):
            self.m.append(PSABlock(c, 0.5, c // 64))
        self.cv2 = Conv((2 + n) * c, c2, 1)
        self.n = n

    def forward(self, x):
        n = self.n
        b = {}
        a = self.cv1(x)
        p = torch.chunk(a, 2, 1)
        for i in range(n):
            b[i] = self.m[i](p[-1])
        cat = torch.cat([p[0], p[1], *[b[i] for i in range(n)]], 1)
        y = self.cv2(cat)
        return y


# Area attention (YOLO12) - self-attention within each of 'area' horizontal bands of the map, a 7x7 depth-wise Conv of the values as position encoding.
class AAttn(nn.Module):
    def __init__(self, dim, num_heads, area=1):
        super().__init__()
        head_dim = dim // num_heads
        all_head_dim = head_dim * num_heads
        self.qkv = Conv(dim, all_head_dim * 3, 1, 1, None, 1, 1, False)
        self.pe = Conv(all_head_dim, dim, 7, 1, 3, dim, 1, False)
        self.proj = Conv(all_head_dim, dim, 1, 1, None, 1, 1, False)
        self.num_heads, self.area, self.head_dim, self.all_head_dim = num_heads, area, head_dim, all_head_dim

    def forward(self, x):
        num_heads, area, head_dim, all_head_dim = self.num_heads, self.area, self.head_dim, self.all_head_dim
        qkv = self.qkv(x)
        f = qkv.reshape(qkv.shape[0], *[all_head_dim * 3, -1])
        t = f.permute(0, *[d + 1 for d in [1, 0]])
        ar = t.reshape(t.shape[0], *[area, -1, num_heads, head_dim * 3])
        pm = ar.permute(0, *[d + 1 for d in [0, 2, 3, 1]])
        s = torch.split(pm, [head_dim, head_dim, head_dim], 3)
        a = (s[0].transpose(-2, -1) @ s[1])
        as_ = (a * (head_dim ** -0.5))
        p = as_.softmax(-1)
        o = (s[2] @ p.transpose(-2, -1))
        o1 = o.permute(0, *[d + 1 for d in [0, 3, 1, 2]])
        o2 = o1.reshape(x.shape[0], *[x.shape[d + 1] for d in [1, 2, 0]])
        o3 = o2.permute(0, *[d + 1 for d in [2, 0, 1]])
        v1 = s[2].permute(0, *[d + 1 for d in [0, 3, 1, 2]])
        v2 = v1.reshape(x.shape[0], *[x.shape[d + 1] for d in [1, 2, 0]])
        v3 = v2.permute(0, *[d + 1 for d in [2, 0, 1]])
        pe = self.pe(v3)
        sum = o3 + pe
        y = self.proj(sum)
        return y


# Area-attention block - area attention and a two-Conv MLP, each added back to its input.
class ABlock(nn.Module):
    def __init__(self, dim, num_heads, mlp_ratio=1.2, area=1):
        super().__init__()
        hidden = int(dim * mlp_ratio)
        self.attn = AAttn(dim, num_heads, area)
        self.mlp = nn.Sequential()
        self.mlp.add_module(str(0), Conv(dim, hidden, 1))
        self.mlp.add_module(str(1), Conv(hidden, dim, 1, 1, None, 1, 1, False))

    def forward(self, x):
        a = self.attn(x)
        a2 = x + a
        m1 = getattr(self.mlp, str(0))(a2)
        m2 = getattr(self.mlp, str(1))(m1)
        y = a2 + m2
        return y


# YOLO12's residual ELAN with area attention - a 1x1 Conv, n stages of two ABlocks (or C3k when a2 is off) chained, all concatenated into a 1x1 Conv; with residual, added to the input scaled by a learned gamma.
class A2C2f(nn.Module):
    def __init__(self, c1, c2, n=1, a2=True, area=1, residual=False, mlp_ratio=2.0, e=0.5, g=1, shortcut=True):
        super().__init__()
        c_ = int(c2 * e)
        if not (c_ % 32 == 0):
            raise ValueError("A2C2f: A2C2f's hidden width int(c2 * e) must be a multiple of 32 (an assert in Ultralytics)")
        self.cv1 = Conv(c1, c_, 1, 1)
        for i in range(n):
            if a2:
                if not hasattr(self, 'm'):
                    self.m = nn.ModuleList()
                self.m.add_module(str(i), nn.Sequential(*(ABlock(c_, c_ // 32, mlp_ratio, area) for _ in range(2))))
        for i in range(n):
            if not a2:
                if not hasattr(self, 'm'):
                    self.m = nn.ModuleList()
                self.m.add_module(str(i), C3k(c_, c_, 2, shortcut, g))
        self.cv2 = Conv((1 + n) * c_, c2, 1)
        if a2 and residual:
            self.gamma = nn.Parameter(torch.full((c2,), 0.01, dtype=torch.float32))
        self.c2, self.n, self.a2, self.residual = c2, n, a2, residual

    def forward(self, x):
        c2, n, a2, residual = self.c2, self.n, self.a2, self.residual
        b = {}
        _last = x
        a = self.cv1(x)
        _last = a
        for i in range(n):
            if a2:
                b[i] = getattr(self.m, str(i))(_last)
                _last = b[i]
        for i in range(n):
            if not a2:
                b[i] = getattr(self.m, str(i))(_last)
                _last = b[i]
        cat = torch.cat([a, *[b[i] for i in range(n)]], 1)
        _last = cat
        y = self.cv2(_last)
        _last = y
        if a2 and residual:
            gm = self.gamma.view(1, *[c2, 1, 1])
            _last = gm
        if a2 and residual:
            gy = gm * y
            _last = gy
        if a2 and residual:
            out = x + gy
            _last = out
        return _last


# PPHGNetV2's stem (RT-DETR) - a stride-2 Conv, a max-pool branch and a two-Conv branch concatenated, then two more Convs; ReLU throughout.
class HGStem(nn.Module):
    def __init__(self, c1, cm, c2):
        super().__init__()
        self.stem1 = Conv(c1, cm, 3, 2, None, 1, 1, nn.ReLU())
        self.stem2a = Conv(cm, cm // 2, 2, 1, 0, 1, 1, nn.ReLU())
        self.stem2b = Conv(cm // 2, cm, 2, 1, 0, 1, 1, nn.ReLU())
        self.pool = nn.MaxPool2d(2, 1, 0, 1, False, True)
        self.stem3 = Conv(cm * 2, cm, 3, 2, None, 1, 1, nn.ReLU())
        self.stem4 = Conv(cm, c2, 1, 1, None, 1, 1, nn.ReLU())

    def forward(self, x):
        a = self.stem1(x)
        ap = F.pad(a, [0, 1, 0, 1])
        b = self.stem2a(ap)
        bp = F.pad(b, [0, 1, 0, 1])
        c = self.stem2b(bp)
        p = self.pool(ap)
        cat = torch.cat([p, c], 1)
        d = self.stem3(cat)
        y = self.stem4(d)
        return y


# PPHGNetV2's block (RT-DETR) - n k x k Convs (or LightConvs) chained, every output and the input concatenated, squeezed and excited by two 1x1 Convs; the input added when shortcut and c1 == c2.
class HGBlock(nn.Module):
    def __init__(self, c1, cm, c2, k=3, n=6, lightconv=False, shortcut=False, act=nn.ReLU()):
        super().__init__()
        for i in range(n):
            if lightconv:
                if not hasattr(self, 'm'):
                    self.m = nn.ModuleList()
                self.m.add_module(str(i), LightConv(c1 if i == 0 else cm, cm, k, act))
        for i in range(n):
            if not lightconv:
                if not hasattr(self, 'm'):
                    self.m = nn.ModuleList()
                self.m.add_module(str(i), Conv(c1 if i == 0 else cm, cm, k, 1, None, 1, 1, act))
        self.sc = Conv(c1 + n * cm, c2 // 2, 1, 1, None, 1, 1, act)
        self.ec = Conv(c2 // 2, c2, 1, 1, None, 1, 1, act)
        self.c1, self.c2, self.n, self.lightconv, self.shortcut = c1, c2, n, lightconv, shortcut

    def forward(self, x):
        c1, c2, n, lightconv, shortcut = self.c1, self.c2, self.n, self.lightconv, self.shortcut
        b = {}
        _last = x
        for i in range(n):
            if lightconv:
                b[i] = getattr(self.m, str(i))(x)
                _last = b[i]
        for i in range(n):
            if not lightconv:
                b[i] = getattr(self.m, str(i))(_last)
                _last = b[i]
        cat = torch.cat([x, *[b[i] for i in range(n)]], 1)
        _last = cat
        s = self.sc(_last)
        _last = s
        e = self.ec(_last)
        _last = e
        if shortcut and c1 == c2:
            y = e + x
            _last = y
        return _last


# ResNet's bottleneck - 1x1, 3x3 (stride s) and 1x1 Convs to e * c2, plus the input (projected when the size or width changes), then ReLU.
class ResNetBlock(nn.Module):
    def __init__(self, c1, c2, s=1, e=4):
        super().__init__()
        c3 = e * c2
        proj = s != 1 or c1 != e * c2
        self.cv1 = Conv(c1, c2, 1, 1)
        self.cv2 = Conv(c2, c2, 3, s, 1)
        self.cv3 = Conv(c2, c3, 1, 1, None, 1, 1, False)
        if proj:
            self.shortcut = nn.Sequential(*(Conv(c1, c3, 1, s, None, 1, 1, False) for _ in range(1)))
        if not proj:
            self.shortcut = nn.Identity()
        self.proj = proj

    def forward(self, x):
        proj = self.proj
        a = self.cv1(x)
        b = self.cv2(a)
        c = self.cv3(b)
        if proj:
            sc = self.shortcut(x)
        if not proj:
            sc = self.shortcut(x)
        sum = c + sc
        y = torch.relu(sum)
        return y


# A ResNet stage - the stem (7x7 stride-2 Conv and a 3x3 max pool) when is_first, else n ResNetBlocks, the first of stride s.
class ResNetLayer(nn.Module):
    def __init__(self, c1, c2, s=1, is_first=False, n=1, e=4):
        super().__init__()
        if is_first:
            if not hasattr(self, 'layer'):
                self.layer = nn.Sequential()
            self.layer.add_module(str(0), Conv(c1, c2, 7, 2, 3))
        if is_first:
            if not hasattr(self, 'layer'):
                self.layer = nn.Sequential()
            self.layer.add_module(str(1), nn.MaxPool2d(3, 2, 1))
        if not is_first:
            if not hasattr(self, 'layer'):
                self.layer = nn.Sequential()
            self.layer.add_module(str(0), ResNetBlock(c1, c2, s, e))
        for i in range(1, n):
            if not is_first:
                if not hasattr(self, 'layer'):
                    self.layer = nn.Sequential()
                self.layer.add_module(str(i), ResNetBlock(e * c2, c2, 1, e))
        self.is_first, self.n = is_first, n

    def forward(self, x):
        is_first, n = self.is_first, self.n
        b = {}
        _last = x
        if is_first:
            a = getattr(self.layer, str(0))(x)
            _last = a
        if is_first:
            y = getattr(self.layer, str(1))(_last)
            _last = y
        if not is_first:
            b0 = getattr(self.layer, str(0))(x)
            _last = b0
        for i in range(1, n):
            if not is_first:
                b[i] = getattr(self.layer, str(i))(_last)
                _last = b[i]
        return _last


# Distribution focal loss integral - a softmax over each box side's c1 bins and their expected value, through a fixed 1x1 convolution with weights 0..c1-1 (a parameter without gradient).
class DFL(nn.Module):
    def __init__(self, c1=16):
        super().__init__()
        self.conv = nn.Conv2d(c1, 1, 1, 1, 0, 1, 1, False)
        self.c1 = c1

    def forward(self, x):
        c1 = self.c1
        v = x.reshape(x.shape[0], *[4, c1, -1])
        t = v.permute(0, *[d + 1 for d in [1, 0, 2]])
        s = t.softmax(1)
        c = self.conv(s)
        y = c.reshape(c.shape[0], *[4, -1])
        return y


# Classification head - a Conv to 1280 channels, global average pooling, dropout and a Linear layer to nc classes, softmax in inference.
class Classify(nn.Module):
    def __init__(self, c1, c2, k=1, s=1, p=None, g=1):
        super().__init__()
        self.conv = Conv(c1, 1280, k, s, p, g)
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.drop = nn.Dropout(0)
        self.linear = nn.Linear(1280, c2)
        self.c2 = c2

    def forward(self, x):
        c2 = self.c2
        a = self.conv(x)
        b = self.pool(a)
        c = self.drop(b)
        l = self.linear(c.movedim(1, -1)).movedim(-1, 1)
        s_ = l.softmax(1)
        y = s_.reshape(s_.shape[0], *[c2])
        return y
