export default function Home() {
  return (
    <div className="empty">
      <div>
        <div className="brand-mark" style={{ margin: '0 auto', width: 56, height: 56, fontSize: 26 }} aria-hidden="true">
          C
        </div>
        <h2>Pick a conversation</h2>
        <p>Choose someone from the list to start talking.</p>
      </div>
    </div>
  );
}
