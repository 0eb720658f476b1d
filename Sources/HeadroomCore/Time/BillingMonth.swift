/// The month cloud price lists bill: 365 × 24 / 12 = 730 hours. The one default; a price file's
/// `hours_per_month` replaces it everywhere money is turned into a monthly figure.
public enum BillingMonth {
    public static let defaultHours: Int64 = 730
}
