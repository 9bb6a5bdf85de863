"""The chart of accounts: fixed accounts, plus one cash account per payment channel (``1100-<CODE>``).

Every account's ``balance`` in reports is debits − credits (assets and expenses positive, liabilities
and income negative). Names are Bahasa Indonesia (the records' language); they are data, not UI strings.
"""

BANK = "1000"            # operating bank account: payouts leave it, agents' remittances arrive in it
CHANNEL_CASH = "1100"    # + "-<channel code>": money a payment channel holds for us
AGENT_CASH = "1200"      # cash agents collected from workers and have not remitted yet
CHANNEL_FEES = "2100"    # channels' admin fees: collected with the payment, owed to the channel
SPONSOR_PREPAID = "2200"  # money sponsors paid that is not yet applied to a worker's months
COMMISSION_PAYABLE = "2300"
JHT_FUND = "2400"        # members' JHT savings (per member: savings.Account)
CLAIMS_PAYABLE = "2500"  # approved claims not transferred yet
PREPAID = "2600"         # members' prepaid balances (per member: the prepaid balance records)
OPENING = "3000"
INCOME_JKK = "4100"
INCOME_JKM = "4200"
INCOME_JHT = "4300"      # JHT contributions received (moved to the JHT fund when credited)
BENEFIT_JKK = "5100"
BENEFIT_JKM = "5200"
JHT_TRANSFER = "5300"    # JHT contributions credited to members' JHT savings
JHT_RETURNS = "5400"     # yearly return credited to members' JHT savings
COMMISSION_EXPENSE = "5500"

INCOME = {"jkk": INCOME_JKK, "jkm": INCOME_JKM, "jht": INCOME_JHT}
BENEFIT = {"JKK": BENEFIT_JKK, "JKM": BENEFIT_JKM}

# code: (name, type, description)
ACCOUNTS = {
    BANK: ("Bank operasional", "asset", "Rekening bank untuk pembayaran klaim dan komisi serta setoran agen."),
    AGENT_CASH: ("Kas di tangan agen", "asset", "Iuran yang ditagih agen Perisai dan belum disetor."),
    CHANNEL_FEES: ("Biaya admin kanal (titipan kanal)", "liability",
                   "Biaya admin yang dibayar peserta di atas iuran; milik kanal, bukan pendapatan iuran."),
    SPONSOR_PREPAID: ("Uang muka sponsor", "liability", "Pembayaran tagihan sponsor yang belum dikreditkan ke pekerja."),
    COMMISSION_PAYABLE: ("Utang komisi agen", "liability", "Komisi agen yang sudah dihitung dan belum dibayar."),
    JHT_FUND: ("Dana JHT peserta", "liability", "Saldo JHT seluruh peserta (rincian per peserta: rekening JHT)."),
    CLAIMS_PAYABLE: ("Utang klaim", "liability", "Klaim JKK/JKM yang disetujui dan belum ditransfer."),
    PREPAID: ("Saldo prabayar peserta", "liability", "Saldo prabayar peserta yang belum dipakai untuk iuran."),
    OPENING: ("Saldo awal", "equity", "Lawan jurnal saldo awal bila data lama tidak seimbang."),
    INCOME_JKK: ("Pendapatan iuran JKK", "income", "Bagian JKK dari tagihan yang lunas."),
    INCOME_JKM: ("Pendapatan iuran JKM", "income", "Bagian JKM dari tagihan yang lunas."),
    INCOME_JHT: ("Iuran JHT diterima", "income", "Bagian JHT dari tagihan yang lunas."),
    BENEFIT_JKK: ("Beban manfaat JKK", "expense", "Klaim dan beasiswa JKK yang disetujui."),
    BENEFIT_JKM: ("Beban manfaat JKM", "expense", "Klaim dan beasiswa JKM yang disetujui."),
    JHT_TRANSFER: ("Iuran JHT dipindahkan ke dana JHT", "expense", "Iuran JHT yang dikreditkan ke rekening JHT."),
    JHT_RETURNS: ("Hasil pengembangan JHT", "expense", "Hasil pengembangan tahunan yang dikreditkan."),
    COMMISSION_EXPENSE: ("Beban komisi agen", "expense", "Komisi dan bonus agen Perisai."),
}

# system channels whose money is not held by a payment processor
SYSTEM_SOURCE = {"AGENT": AGENT_CASH, "SPONSOR": SPONSOR_PREPAID, "PREPAID": PREPAID}


def channel_cash(code: str) -> str:
    return f"{CHANNEL_CASH}-{code}"


def source_account(channel_code: str) -> str:
    """The account a payment on ``channel_code`` is paid from (debited)."""
    return SYSTEM_SOURCE.get(channel_code) or channel_cash(channel_code)


def definition(code: str):
    """(name, type, description) of a chart code, channel cash accounts included; None if unknown."""
    if code in ACCOUNTS:
        return ACCOUNTS[code]
    if code.startswith(CHANNEL_CASH + "-") and len(code) > 5:
        ch = code[5:]
        if ch == "BRANCH":
            return ("Kas loket kantor cabang", "asset", "Iuran yang dibayar tunai di loket kantor cabang.")
        return (f"Kas di kanal {ch}", "asset", f"Uang yang dipegang kanal {ch} untuk Jaring.")
    return None
